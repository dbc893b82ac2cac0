package dev.losslab.kerasfile;

import dev.losslab.network.ModelFiles;
import dev.losslab.network.NetworkSpec;
import dev.losslab.network.Parameter;
import dev.losslab.network.ResolvedNetwork;
import java.nio.file.Path;
import java.util.List;

/** The Keras file formats as {@code network} asks for them ({@link ModelFiles}), installed through ServiceLoader. */
public final class KerasModelFiles implements ModelFiles {
    @Override
    public NetworkSpec network(Path file) {
        return ModelFiles.isModelFile(file) ? KerasModelFile.network(file) : KerasJson.read(file);
    }

    @Override
    public List<Parameter> parameters(Path file, Path weights, ResolvedNetwork net, List<Parameter> fresh) {
        return KerasModelFile.read(file, weights).parameters(net, fresh);
    }
}
