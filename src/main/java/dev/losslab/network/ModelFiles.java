package dev.losslab.network;

import dev.losslab.LosslabException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * What a network given as a file needs from the file formats, which live above this package ({@code kerasfile}):
 * the network a Keras model file or Keras JSON describes, and its weights in a resolved network's order. Found with
 * {@link ServiceLoader}, so {@code network} names no format and the formats depend on the network, not the reverse.
 */
public interface ModelFiles {
    /** The network of {@code file}: a {@code .keras} archive, a legacy {@code .h5} model or a Keras JSON. */
    NetworkSpec network(Path file);

    /**
     * The weights of {@code file} (or of {@code weights}, a weights-only file, when given) in {@code net}'s order,
     * each shape-checked; the layers the file does not have take {@code fresh} (null: every layer must be the file's).
     */
    List<Parameter> parameters(Path file, Path weights, ResolvedNetwork net, List<Parameter> fresh);

    /** Whether {@code file} names a Keras model file with weights (.keras, .h5, .hdf5), not a JSON. */
    static boolean isModelFile(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".keras") || n.endsWith(".h5") || n.endsWith(".hdf5");
    }

    /** The installed formats (losslab's {@code kerasfile}). */
    static ModelFiles installed() {
        return Holder.INSTANCE;
    }

    /** Loads the implementation once. */
    final class Holder {
        static final ModelFiles INSTANCE = ServiceLoader.load(ModelFiles.class).findFirst().orElseThrow(() ->
                new LosslabException("no Keras file reader on the class path (losslab's kerasfile package is missing)"));

        private Holder() {
        }
    }
}
