package dev.losslab.train;

import dev.losslab.LosslabException;
import dev.losslab.savedmodel.ModelMetadata;
import dev.losslab.data.InputShape;
import dev.losslab.network.ModelSpec;
import dev.losslab.kerasfile.KerasModelFile;
import dev.losslab.network.ResolvedNetwork;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A Keras 3 {@code .keras} file as a SavedModel: its network at its declared input, its weights by Keras' keys,
 * the inference pass (moving statistics, no dropout) behind {@code serving_default}, and metadata saying the
 * pixels are raw (Keras' loaders give 0-255 floats; a file says nothing about scale) and naming the classes by
 * position. No rule is tuned for a file, so it gets no {@code decide} signature.
 */
public final class KerasExport {
    private KerasExport() {
    }

    /** The file's network resolved at its declared input shape, for its output layer's classes. */
    public static ResolvedNetwork network(Path file) {
        var spec = KerasModelFile.network(file);
        int[] d = spec.declaredInput();
        if (d == null || d.length != 3 || d[0] < 1 || d[1] < 1 || d[2] < 1) {
            throw new LosslabException(file + ": the model does not declare a full input shape (H, W, C)");
        }
        InputShape shape = new InputShape(d[0], d[1], d[2]);
        return ResolvedNetwork.resolve(spec, shape, ResolvedNetwork.outputClasses(spec, shape));
    }

    /** Writes {@code file} as a SavedModel folder {@code out}. */
    public static ResolvedNetwork export(Path file, Path out) {
        ResolvedNetwork net = network(file);
        var params = KerasModelFile.read(file).parameters(net);
        int k = net.numClasses();
        List<String> names = IntStream.range(0, k).mapToObj(i -> "class_" + i).toList();
        ModelMetadata meta = new ModelMetadata(ModelMetadata.FORMAT, IntStream.range(0, k).toArray(), names, "raw",
                "probabilities", new ModelSpec(null, null, file.toAbsolutePath().toString(), null), null, null,
                new int[] {net.input().height(), net.input().width(), net.input().channels()}, null);
        SavedModelExport.export(params, net, out, meta);
        return net;
    }
}
