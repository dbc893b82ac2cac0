package dev.losslab.inference;

import dev.losslab.LosslabException;
import dev.losslab.data.InputShape;
import dev.losslab.data.PixelScaling;
import dev.losslab.network.ModelSpec;
import dev.losslab.network.Parameter;
import dev.losslab.network.ResolvedNetwork;
import dev.losslab.network.layers.Weight;
import dev.losslab.savedmodel.ModelMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A model losslab trained, read back from its SavedModel: the network its metadata describes (the run's model
 * config, input shape and classes), the pixel scaling it was trained on, and its trained weights, each fetched from
 * the variable the export named after it ({@code cnn/<layer>_<role>}). What {@code export} turns into a Keras file.
 *
 * @param savedModel the SavedModel folder (a run's {@code model/})
 */
public record TrainedModel(Path savedModel, ModelMetadata metadata, ResolvedNetwork network, PixelScaling pixels,
                           List<Parameter> parameters) {

    /** The SavedModel of {@code path}: a run folder (its {@code model/}) or a SavedModel folder itself. */
    public static Path savedModelOf(Path path) {
        if (Files.isRegularFile(path.resolve("model").resolve("saved_model.pb"))) {
            return path.resolve("model");
        }
        if (Files.isRegularFile(path.resolve("saved_model.pb"))) {
            return path;
        }
        throw new LosslabException(path + ": not a run folder (no model/saved_model.pb) nor a SavedModel folder");
    }

    /** Reads the trained model in {@code path} (a run folder or its SavedModel). */
    public static TrainedModel read(Path path) {
        Path dir = savedModelOf(path);
        ModelMetadata meta = ModelMetadata.read(dir).orElseThrow(() -> new LosslabException(dir + ": no "
                + ModelMetadata.FILE + " in assets/: not a model losslab trained, so its network is not known"));
        if (meta.model() == null) {
            throw new LosslabException(ModelMetadata.file(dir) + ": names no network (model)");
        }
        ModelSpec spec = meta.model();
        if (spec.keras() != null && !Files.isRegularFile(Path.of(spec.keras()))) {
            throw new LosslabException(dir + ": its network was read from " + spec.keras() + ", which is no longer there; "
                    + "put the file back at that path to export the model");
        }
        int[] s = meta.inputShape() == null ? new int[] {28, 28, 1} : meta.inputShape();
        ResolvedNetwork net = spec.resolve(new InputShape(s[0], s[1], s[2]), meta.classIds().length);
        PixelScaling pixels = meta.pixels() == null ? PixelScaling.UNIT : PixelScaling.parse(meta.pixels());
        return new TrainedModel(dir, meta, net, pixels, weights(dir, net));
    }

    /** The trained value of each of {@code net}'s weights, in its order, shape-checked. */
    static List<Parameter> weights(Path dir, ResolvedNetwork net) {
        SavedModelPredictor.checkVariables(dir);
        List<Parameter> out = new ArrayList<>();
        try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG)) {
            for (Weight w : net.weights()) {
                String op = "cnn/" + w.name().replace('/', '_');
                if (bundle.graph().operation(op) == null) {
                    throw new LosslabException(dir + ": no variable " + op + " for the network's weight " + w.name()
                            + "; the SavedModel does not match its metadata");
                }
                try (Tensor t = bundle.session().runner().fetch(op).run().get(0)) {
                    if (!(t instanceof TFloat32 f)) {
                        throw new LosslabException(dir + ": variable " + op + " is " + t.dataType() + ", not float32");
                    }
                    long[] shape = f.shape().asArray();
                    if (!java.util.Arrays.equals(shape, w.shape())) {
                        throw new LosslabException(dir + ": variable " + op + " has shape " + java.util.Arrays.toString(shape)
                                + " but the network needs " + java.util.Arrays.toString(w.shape()));
                    }
                    float[] values = new float[Math.toIntExact(f.size())];
                    f.copyTo(DataBuffers.of(values, false, false));
                    out.add(new Parameter(w.name(), shape, values));
                }
            }
        } catch (org.tensorflow.exceptions.TensorFlowException e) {
            throw new LosslabException(dir + ": cannot load the SavedModel (" + LosslabException.firstLine(e.getMessage())
                    + ")");
        }
        return out;
    }
}
