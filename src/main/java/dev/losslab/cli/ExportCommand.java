package dev.losslab.cli;

import dev.losslab.LosslabException;
import dev.losslab.data.PixelScaling;
import dev.losslab.inference.TrainedModel;
import dev.losslab.kerasfile.KerasFileWriter;
import dev.losslab.kerasfile.KerasModelFile;
import dev.losslab.network.Parameter;
import dev.losslab.network.ResolvedNetwork;
import dev.losslab.train.KerasExport;
import dev.losslab.util.OwnedFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a model in another format, told by --out: a folder is a TensorFlow SavedModel (signature "
                + "serving_default: input 'images' float [-1,H,W,C], raw 0-255 pixels; output 'probabilities'), a .keras "
                + "file is a Keras 3 archive and a .h5 file a legacy Keras HDF5 model, both loaded with "
                + "keras.models.load_model and fed 0-255 pixels (the run's pixel scaling travels as a leading Rescaling "
                + "layer, and a network ending in logits gets its softmax, so Keras gives losslab's probabilities).",
                "",
                "--model is a Keras file (.keras, .h5) or a model losslab trained: a run folder or its model/ SavedModel.",
                "",
                "Examples:",
                "  losslab export --model runs/exp100-crossentropy-seed1 --out resnet8.keras",
                "  losslab export --model runs/exp100-crossentropy-seed1 --out resnet8.h5",
                "  losslab export --model keras-model.keras --out keras-model-savedmodel"})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "a Keras 3 .keras file, a legacy HDF5 .h5 model, or a run "
            + "folder / SavedModel losslab wrote")
    Path model;

    @Option(names = "--out", required = true, description = "what to write: NAME.keras or NAME.h5 (a new file; an "
            + "existing file is never replaced), or a SavedModel folder (a new or empty folder; a non-empty one is refused "
            + "unless --force, and --force replaces only a folder losslab wrote)")
    Path out;

    @Option(names = "--force", description = "replace a SavedModel --out folder losslab wrote (never the input, the "
            + "working folder or a folder of yours; never a file)")
    boolean force;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        boolean kerasIn = KerasModelFile.isModelFile(model) && !Files.isDirectory(model);
        boolean kerasOut = KerasFileWriter.isKerasFile(out);
        if (!Files.exists(model)) {
            throw new LosslabException("--model " + model + ": no such file or folder");
        }
        if (!kerasIn && !Files.isDirectory(model)) {
            throw new LosslabException("--model " + model + ": expected a Keras model file (.keras, .h5) or a run / "
                    + "SavedModel folder");
        }
        ResolvedNetwork net;
        if (kerasOut) {
            if (Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new LosslabException("--out " + out + " exists; losslab never replaces a file: choose a new name");
            }
            List<Parameter> params;
            PixelScaling pixels;
            String name;
            if (kerasIn) {
                net = KerasExport.network(model);
                params = KerasModelFile.read(model).parameters(net);
                pixels = PixelScaling.RAW; // a Keras file takes the pixels Keras' loaders give
                name = net.spec().name();
            } else {
                TrainedModel trained = TrainedModel.read(model);
                net = trained.network();
                params = trained.parameters();
                pixels = trained.pixels();
                Path named = trained.savedModel().getFileName().toString().equals("model")
                        && trained.savedModel().getParent() != null ? trained.savedModel().getParent() : trained.savedModel();
                name = named.toAbsolutePath().normalize().getFileName().toString();
            }
            KerasFileWriter.write(net, params, pixels, name, out);
        } else {
            if (!kerasIn) {
                throw new LosslabException("--model " + model + " is already a SavedModel; export writes it as a Keras file "
                        + "(--out NAME.keras or NAME.h5)");
            }
            OwnedFolder.checkOutput("--out", out, force, model);
            net = KerasExport.export(model, out);
        }
        var w = spec.commandLine().getOut();
        w.printf(java.util.Locale.ROOT, "%s: %d layers, %,d parameters, input %dx%dx%d, %d classes -> %s%n", model,
                net.layers().size(), net.trainableParams() + net.nonTrainableParams(), net.input().height(),
                net.input().width(), net.input().channels(), net.numClasses(), out);
        w.flush();
        return 0;
    }
}
