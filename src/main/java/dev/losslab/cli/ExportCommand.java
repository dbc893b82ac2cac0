package dev.losslab.cli;

import dev.losslab.train.KerasExport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a Keras 3 .keras file as a TensorFlow SavedModel (signature serving_default: input 'images' "
                + "float [-1,H,W,C] as the model declares it, raw 0-255 pixels as Keras' loaders give them; output "
                + "'probabilities'), with losslab's metadata, so predict, TF Serving or Python TensorFlow can run it."})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "a Keras 3 .keras file (config.json and model.weights.h5)")
    Path model;

    @Option(names = "--out", required = true, description = "the SavedModel folder to write (replaced if it exists)")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!model.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".keras")) {
            throw new dev.losslab.LosslabException("--model " + model + ": export reads Keras 3 .keras files");
        }
        var net = KerasExport.export(model, out);
        var w = spec.commandLine().getOut();
        w.printf(java.util.Locale.ROOT, "%s: %d layers, %,d parameters, input %dx%dx%d, %d classes -> %s%n", model,
                net.layers().size(), net.trainableParams() + net.nonTrainableParams(), net.input().height(),
                net.input().width(), net.input().channels(), net.numClasses(), out);
        w.flush();
        return 0;
    }
}
