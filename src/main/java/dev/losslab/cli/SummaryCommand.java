package dev.losslab.cli;

import dev.losslab.kerasfile.KerasModelFile;
import dev.losslab.network.NetworkSpec;
import dev.losslab.LosslabException;
import dev.losslab.experiment.AnyConfig;
import dev.losslab.experiment.RunConfig;
import dev.losslab.data.InputShape;
import dev.losslab.network.ModelSpec;
import dev.losslab.kerasfile.KerasJson;
import dev.losslab.network.ResolvedNetwork;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print Keras' model.summary() table (layer, type, output shape, parameters; Total, Trainable and "
                + "Non-trainable params) for a config's network or a Keras model (JSON, .keras or .h5).")
public final class SummaryCommand implements Callable<Integer> {
    @Option(names = "--config", description = "run or sweep config: its network on its data's shape and classes")
    Path config;

    @Option(names = "--keras", description = "a Keras model JSON (model.to_json()), a Keras 3 .keras file or a legacy .h5 model")
    Path keras;

    @Option(names = "--input", description = "H,W,C for --keras when the JSON does not declare its input, e.g. 28,28,1")
    String input;

    @Option(names = "--classes", description = "number of classes for --keras (default: what its output layer gives)")
    Integer classes;

    @Option(names = "--data-dir", description = "Fashion-MNIST folder, when the config has no data block")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if ((config == null) == (keras == null)) {
            throw new LosslabException("give --config or --keras");
        }
        ResolvedNetwork net;
        if (keras != null) {
            var network = KerasModelFile.network(keras); // .keras, .h5 or JSON
            InputShape shape = shape(network.declaredInput());
            int k = classes != null ? classes : outputClasses(network, shape);
            net = ResolvedNetwork.resolve(network, shape, k);
        } else {
            RunConfig c = AnyConfig.runConfig(config, null, null, null, System.err);
            c.validate();
            InputShape shape;
            if (c.data() == null) {
                shape = InputShape.FASHION_MNIST;
            } else {
                var d = c.data().load(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
                shape = new InputShape(d.train().height(), d.train().width(), d.train().channels());
            }
            net = c.model().resolve(shape, c.classes().length);
        }
        var w = spec.commandLine().getOut();
        w.print(net.summary());
        w.flush();
        return 0;
    }

    private InputShape shape(int[] declared) {
        if (input != null) {
            String[] p = input.split(",");
            if (p.length != 3) {
                throw new LosslabException("--input must be H,W,C, got '" + input + "'");
            }
            try {
                return new InputShape(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()));
            } catch (NumberFormatException e) {
                throw new LosslabException("--input must be three whole numbers H,W,C, got '" + input + "'");
            }
        }
        if (declared == null || declared[0] < 1 || declared[1] < 1 || declared[2] < 1) {
            throw new LosslabException(keras + " does not declare its full input shape; give --input H,W,C");
        }
        return new InputShape(declared[0], declared[1], declared[2]);
    }

    private static int outputClasses(NetworkSpec network, InputShape shape) {
        return ResolvedNetwork.outputClasses(network, shape);
    }
}
