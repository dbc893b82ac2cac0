package dev.losslab.cli;

import dev.losslab.LosslabException;
import dev.losslab.network.KerasModelFile;
import dev.losslab.util.OwnedFolder;
import dev.losslab.train.KerasExport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a Keras model file (.keras, or legacy .h5) as a TensorFlow SavedModel (signature serving_default: input 'images' "
                + "float [-1,H,W,C] as the model declares it, raw 0-255 pixels as Keras' loaders give them; output "
                + "'probabilities'), with losslab's metadata, so predict, TF Serving or Python TensorFlow can run it."})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "a Keras 3 .keras file or a legacy HDF5 .h5 model (model_config and model_weights)")
    Path model;

    @Option(names = "--out", required = true, description = "the SavedModel folder to write: a new or empty folder "
            + "(a non-empty one is refused unless --force, and --force replaces only a folder losslab wrote)")
    Path out;

    @Option(names = "--force", description = "replace --out when it is a folder losslab wrote (never the input, the "
            + "working folder or a folder of yours)")
    boolean force;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!KerasModelFile.isModelFile(model)) {
            throw new LosslabException("--model " + model + ": export reads Keras model files (.keras, .h5)");
        }
        OwnedFolder.checkOutput("--out", out, force, model);
        var net = KerasExport.export(model, out);
        var w = spec.commandLine().getOut();
        w.printf(java.util.Locale.ROOT, "%s: %d layers, %,d parameters, input %dx%dx%d, %d classes -> %s%n", model,
                net.layers().size(), net.trainableParams() + net.nonTrainableParams(), net.input().height(),
                net.input().width(), net.input().channels(), net.numClasses(), out);
        w.flush();
        return 0;
    }
}
