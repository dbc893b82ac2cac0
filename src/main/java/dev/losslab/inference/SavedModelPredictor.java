package dev.losslab.inference;

import dev.losslab.LosslabException;
import dev.losslab.train.SavedModelExport;
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
 * ({@code [-1, H, W, C]} or {@code [-1, H, W]}) and returns one tensor {@code [-1, units]}
 * (probabilities or logits; {@link OutputKind} turns it into probabilities). Input and output names
 * are read from the signature, not assumed. The folder is checked before TensorFlow loads it:
 * {@code saved_model.pb} (or {@code .pbtxt}) must be there, and {@code variables/} when the graph
 * reads variables.
 */
public final class SavedModelPredictor implements AutoCloseable {
    private final SavedModelBundle bundle;
    private final Signature signature;
    private final String inputName;
    private final String outputName;
    private final Shape inputShape;
    private final int outputUnits;
    private final Signature decide;

    private SavedModelPredictor(SavedModelBundle bundle, Signature signature, Signature decide) {
        this.bundle = bundle;
        this.signature = signature;
        this.decide = decide;
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
        if (in.dataType != DataType.DT_FLOAT || !(inputShape.numDimensions() == 4 && (inputShape.size(3) == 1
                || inputShape.size(3) == 3 || inputShape.size(3) == 4) || inputShape.numDimensions() == 3)) {
            bundle.close();
            throw new LosslabException("SavedModel input '" + inputName + "' is " + in.dataType + " " + inputShape
                    + "; need float [-1, H, W, C] (C = 1, 3 or 4) or [-1, H, W]");
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
        checkVariables(dir);
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
        Signature decide = sigs.stream().filter(s -> s.key().equals(SavedModelExport.DECIDE)
                && s.inputNames().equals(chosen.inputNames())
                && s.outputNames().containsAll(List.of(SavedModelExport.CLASS_ID, SavedModelExport.OUTPUT))).findFirst()
                .orElse(null);
        return new SavedModelPredictor(bundle, chosen, decide);
    }

    /** Whether the model carries its decision rule as a {@code decide} signature (losslab models since issue 28). */
    public boolean hasDecide() {
        return decide != null;
    }

    /** Op types that read saved variables when the graph runs or restores. */
    private static final java.util.Set<String> VARIABLE_OPS = java.util.Set.of("VarHandleOp", "VariableV2", "Variable",
            "RestoreV2", "ReadVariableOp");

    /** A graph that reads variables needs {@code variables/variables.index}; say so before TF fails obscurely. */
    static void checkVariables(Path dir) {
        boolean needs;
        try {
            Path pb = dir.resolve("saved_model.pb");
            if (Files.isRegularFile(pb)) {
                var model = org.tensorflow.proto.SavedModel.parseFrom(Files.readAllBytes(pb));
                needs = false;
                for (var meta : model.getMetaGraphsList()) {
                    needs |= meta.getGraphDef().getNodeList().stream().anyMatch(n -> VARIABLE_OPS.contains(n.getOp()));
                    for (var f : meta.getGraphDef().getLibrary().getFunctionList()) {
                        needs |= f.getNodeDefList().stream().anyMatch(n -> VARIABLE_OPS.contains(n.getOp()));
                    }
                }
            } else {
                String text = Files.readString(dir.resolve("saved_model.pbtxt"));
                needs = VARIABLE_OPS.stream().anyMatch(op -> text.contains("\"" + op + "\""));
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new LosslabException(dir + ": saved_model.pb is not a readable SavedModel ("
                    + LosslabException.firstLine(String.valueOf(e.getMessage())) + ")");
        }
        if (needs && !Files.isRegularFile(dir.resolve("variables").resolve("variables.index"))) {
            throw new LosslabException(dir + ": the graph reads variables but " + dir.resolve("variables")
                    + (Files.isDirectory(dir.resolve("variables")) ? " has no variables.index" : " is missing")
                    + " (a SavedModel folder needs saved_model.pb and its variables/ folder)");
        }
    }

    /** Units of the output tensor (1 for a single sigmoid or logit). */
    public int outputUnits() {
        return outputUnits;
    }

    /** Image height and width the model expects (-1 where the model leaves it open). */
    public long[] imageSize() {
        return new long[] {inputShape.size(1), inputShape.size(2)};
    }

    /** Channels per pixel the model takes (1 for a [-1, H, W] input). */
    public int channels() {
        return inputShape.numDimensions() == 4 ? (int) inputShape.size(3) : 1;
    }

    /** Number of classes the probabilities cover (2 for a single sigmoid output). */
    public int numClasses() {
        return outputUnits == 1 ? 2 : outputUnits;
    }

    public String signatureKey() {
        return signature.key();
    }

    /**
     * The model's raw outputs {@code [n, units]} row-major for {@code n} images of {@code h x w}
     * already scaled pixels, computed in chunks of {@code chunk} images.
     */
    public float[] outputs(float[] pixels, int n, int h, int w, int chunk) {
        return outputs(pixels, n, h, w, 1, chunk);
    }

    /** As above for {@code c}-channel images. */
    public float[] outputs(float[] pixels, int n, int h, int w, int c, int chunk) {
        float[] out = new float[n * outputUnits];
        run(signature, outputName, pixels, n, h, w, c, chunk, out, null);
        return out;
    }

    /** The decisions of the model's own rule (class indices, output positions 0..K-1) and the probabilities it decided on. */
    public record Decisions(float[] probabilities, int[] classIndices) {
    }

    /**
     * Runs the {@code decide} signature ({@link #hasDecide()} must hold): the class index and probabilities per image.
     * A model with a {@code class_index} output is read there; an earlier losslab model's {@code class_id} was the index.
     */
    public Decisions decide(float[] pixels, int n, int h, int w, int c, int chunk) {
        if (decide == null) {
            throw new IllegalStateException("the model has no '" + SavedModelExport.DECIDE + "' signature");
        }
        float[] p = new float[n * outputUnits];
        int[] index = new int[n];
        run(decide, SavedModelExport.OUTPUT, pixels, n, h, w, c, chunk, p, index);
        return new Decisions(p, index);
    }

    /** The {@code decide} output holding the class index: {@code class_index}, or an earlier model's {@code class_id}. */
    private String indexOutput() {
        return decide.outputNames().contains(SavedModelExport.CLASS_INDEX) ? SavedModelExport.CLASS_INDEX
                : SavedModelExport.CLASS_ID;
    }

    private void run(Signature sig, String probabilityName, float[] pixels, int n, int h, int w, int c, int chunk,
                     float[] out, int[] classIds) {
        long mh = inputShape.size(1);
        long mw = inputShape.size(2);
        if (mh != -1 && mh != h || mw != -1 && mw != w) {
            throw new LosslabException("the model expects " + mh + "x" + mw + " images but the inputs are " + h + "x" + w);
        }
        int per = h * w * c;
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            Shape shape = inputShape.numDimensions() == 4 ? Shape.of(to - from, h, w, c) : Shape.of(to - from, h, w);
            try (TFloat32 x = TFloat32.tensorOf(shape, DataBuffers.of(pixels, true, false)
                    .slice((long) from * per, (long) (to - from) * per));
                 var result = bundle.function(sig.key()).call(Map.of(inputName, x))) {
                Tensor t = result.get(probabilityName).orElseThrow();
                if (!(t instanceof TFloat32 p)) {
                    throw new LosslabException("SavedModel output '" + probabilityName + "' is " + t.dataType() + ", need float32");
                }
                if (p.shape().numDimensions() != 2 || p.shape().size(0) != to - from || p.shape().size(1) != outputUnits) {
                    throw new LosslabException("SavedModel output '" + probabilityName + "' came back as " + p.shape()
                            + " for " + (to - from) + " images");
                }
                p.copyTo(DataBuffers.of(out, false, false).slice((long) from * outputUnits, (long) (to - from) * outputUnits));
                if (classIds != null) {
                    String name = indexOutput();
                    Tensor ids = result.get(name).orElseThrow();
                    if (!(ids instanceof org.tensorflow.types.TInt64 id) || id.shape().numDimensions() != 1
                            || id.shape().size(0) != to - from) {
                        throw new LosslabException("SavedModel output '" + name + "' is " + ids.dataType()
                                + " " + ids.shape() + "; need int64 [" + (to - from) + "]");
                    }
                    for (int i = 0; i < to - from; i++) {
                        classIds[from + i] = Math.toIntExact(id.getLong(i));
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        bundle.close();
    }
}
