package dev.losslab.train;

import dev.losslab.LosslabException;
import dev.losslab.data.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Batched inference with any SavedModel whose serving signature takes one float image tensor
 * ({@code [-1, H, W, 1]} or {@code [-1, H, W]}) and returns one probability tensor ({@code [-1, K]},
 * or {@code [-1, 1]} read as the sigmoid of class 1). Input and output names are read from the
 * signature, not assumed.
 */
public final class SavedModelPredictor implements AutoCloseable {
    private final SavedModelBundle bundle;
    private final Signature signature;
    private final String inputName;
    private final String outputName;
    private final Shape inputShape;
    private final int outputUnits;

    private SavedModelPredictor(SavedModelBundle bundle, Signature signature) {
        this.bundle = bundle;
        this.signature = signature;
        if (signature.inputNames().size() != 1 || signature.outputNames().size() != 1) {
            bundle.close();
            throw new LosslabException("SavedModel signature '" + signature.key() + "' has inputs " + signature.inputNames()
                    + " and outputs " + signature.outputNames() + "; need exactly one image input and one probability output");
        }
        inputName = signature.inputNames().iterator().next();
        outputName = signature.outputNames().iterator().next();
        var in = signature.getInputs().get(inputName);
        var out = signature.getOutputs().get(outputName);
        inputShape = in.shape;
        if (in.dataType != DataType.DT_FLOAT || !(inputShape.numDimensions() == 4 && inputShape.size(3) == 1
                || inputShape.numDimensions() == 3)) {
            bundle.close();
            throw new LosslabException("SavedModel input '" + inputName + "' is " + in.dataType + " " + inputShape
                    + "; need float [-1, H, W, 1] or [-1, H, W]");
        }
        if (out.shape.numDimensions() != 2 || out.shape.size(1) < 1) {
            bundle.close();
            throw new LosslabException("SavedModel output '" + outputName + "' has shape " + out.shape + "; need [-1, K]");
        }
        outputUnits = (int) out.shape.size(1);
    }

    /** Loads the SavedModel in {@code dir} (tag {@code serve}), with a one-line error when it is not one. */
    public static SavedModelPredictor open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new LosslabException(dir + ": not a directory (expected a SavedModel folder)");
        }
        if (!Files.isRegularFile(dir.resolve("saved_model.pb")) && !Files.isRegularFile(dir.resolve("saved_model.pbtxt"))) {
            throw new LosslabException(dir + ": not a SavedModel (no saved_model.pb)");
        }
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
        } catch (RuntimeException e) {
            throw new LosslabException(dir + ": cannot load SavedModel (" + LosslabException.firstLine(e.getMessage()) + ")");
        }
        List<Signature> sigs = bundle.signatures();
        Signature chosen = sigs.stream().filter(s -> s.key().equals(SavedModelExport.SIGNATURE)).findFirst()
                .orElse(sigs.size() == 1 ? sigs.get(0) : null);
        if (chosen == null) {
            bundle.close();
            throw new LosslabException(dir + ": no '" + SavedModelExport.SIGNATURE + "' signature (found "
                    + sigs.stream().map(Signature::key).toList() + ")");
        }
        return new SavedModelPredictor(bundle, chosen);
    }

    /** Image height and width the model expects (-1 where the model leaves it open). */
    public long[] imageSize() {
        return new long[] {inputShape.size(1), inputShape.size(2)};
    }

    /** Number of classes the probabilities cover (2 for a single sigmoid output). */
    public int numClasses() {
        return outputUnits == 1 ? 2 : outputUnits;
    }

    public String signatureKey() {
        return signature.key();
    }

    /** Probabilities {@code [n, K]} row-major, computed in chunks of {@code chunk} images. */
    public float[] probabilities(Images images, int chunk) {
        long h = inputShape.size(1);
        long w = inputShape.size(2);
        if (h != -1 && h != Images.SIDE || w != -1 && w != Images.SIDE) {
            throw new LosslabException("the model expects " + h + "x" + w + " images but the input images are "
                    + Images.SIDE + "x" + Images.SIDE);
        }
        int n = images.size();
        int k = numClasses();
        float[] out = new float[n * k];
        float[] buffer = new float[Math.min(chunk, Math.max(n, 1)) * outputUnits];
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            Shape shape = inputShape.numDimensions() == 4 ? Shape.of(to - from, Images.SIDE, Images.SIDE, 1)
                    : Shape.of(to - from, Images.SIDE, Images.SIDE);
            try (TFloat32 x = TFloat32.tensorOf(shape, DataBuffers.of(images.pixels(), true, false)
                    .slice((long) from * Images.PIXELS, (long) (to - from) * Images.PIXELS));
                 var result = bundle.function(signature.key()).call(Map.of(inputName, x))) {
                Tensor t = result.get(outputName).orElseThrow();
                TFloat32 p = (TFloat32) t;
                int rows = to - from;
                p.copyTo(DataBuffers.of(buffer, false, false).slice(0, (long) rows * outputUnits));
                if (outputUnits == 1) {
                    for (int i = 0; i < rows; i++) {
                        out[(from + i) * 2] = 1 - buffer[i];
                        out[(from + i) * 2 + 1] = buffer[i];
                    }
                } else {
                    System.arraycopy(buffer, 0, out, from * k, rows * k);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        bundle.close();
    }
}
