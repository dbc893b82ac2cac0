package dev.losslab.cli;

import dev.losslab.LosslabException;
import dev.losslab.data.InputShape;
import dev.losslab.experiment.AnyConfig;
import dev.losslab.kerasfile.KerasModelFile;
import dev.losslab.network.ModelSpec;
import dev.losslab.network.ResolvedNetwork;
import dev.losslab.recipe.Recipe;
import dev.losslab.train.Precision;
import dev.losslab.tune.TuningBenchmark;
import dev.losslab.data.AtomicFiles;
import dev.losslab.experiment.TrainingRun;
import dev.losslab.loss.LossRegistry;
import dev.losslab.train.Benchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training throughput (batch 32 and 128), inference throughput and TF sgemm GFLOP/s on synthetic "
                + "images (28x28x1 unless --input or --config says otherwise), for the notebook's network or a config's. "
                + "tools/bench-peers runs it beside PyTorch and numpy sgemm, oneDNN on and off, and prints the per-machine table.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--out", description = "write the numbers as JSON here")
    Path out;

    @Option(names = "--loss", defaultValue = "crossentropy", description = "loss to train with (default: ${DEFAULT-VALUE})")
    String loss;

    @Option(names = "--classes", defaultValue = "2", description = "number of classes K (default: ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--steps", defaultValue = "300", description = "timed training steps at batch 32 (batch 128 runs a quarter) (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch", defaultValue = "32", description = "an extra batch size to time besides 32 and 128 (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--tuning", description = "time the threshold searches instead (K=10 random+refine, K=3 exhaustive)")
    boolean tuning;

    @Option(names = "--profile", description = "per-op-type time of a training step (TF full trace) instead")
    boolean profile;

    @Option(names = "--padding", defaultValue = "same", description = "network padding: same (the notebook's network, default) or valid")
    String padding;

    @Option(names = "--train-only", description = "skip inference and sgemm (e.g. to compare losses)")
    boolean trainOnly;

    @Option(names = "--config", description = "time the network of this run or sweep config (its model block and classes) "
            + "instead of the notebook's")
    Path config;

    @Option(names = "--keras", description = "time this Keras network (.keras, legacy .h5 or model JSON; e.g. a "
            + "keras.applications model) at its declared input, for its output layer's classes")
    Path keras;

    @Option(names = "--frozen-base", description = "with --keras or --config: freeze every layer but the output layer "
            + "(a new head on a frozen base) instead of training all")
    boolean frozenBase;

    @Option(names = "--batch-normalization", description = "composed (Keras' own arithmetic) or fused (TF's "
            + "FusedBatchNormV3): the model block's batchNormalization (default: the config's, else composed)")
    String batchNormalization;

    @Option(names = "--input", description = "H,W,C of the synthetic images (default 28,28,1)")
    String input;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (tuning) {
            return print(TuningBenchmark.run());
        }
        ModelSpec model = new ModelSpec(ModelSpec.Padding.parse(padding));
        int k = classes;
        Recipe recipe = null;
        if (config != null) {
            var rc = AnyConfig.runConfig(config, null, null, null, System.err);
            model = rc.model();
            k = rc.classes().length;
            recipe = rc.recipe();
        }
        InputShape declared = null;
        if (keras != null) {
            if (config != null) {
                throw new LosslabException("give --keras or --config, not both");
            }
            var net = KerasModelFile.network(keras);
            int[] d = net.declaredInput();
            if (d != null && d[0] > 0 && d[1] > 0 && d[2] > 0) {
                declared = new InputShape(d[0], d[1], d[2]);
            }
            model = new ModelSpec(null, null, keras.toString(), false);
            if (declared != null) {
                k = ResolvedNetwork.outputClasses(net, declared);
            }
        }
        if (frozenBase) {
            var layers = model.network(k).layers();
            model = new ModelSpec(model.padding(), model.layers(), model.keras(), model.weights(),
                    TrainingRun.JSON.createObjectNode().put("from", layers.get(layers.size() - 1).name()), model.head(),
                    model.pixels(), model.fineTune(), model.batchNormalization());
        }
        if (batchNormalization != null) {
            model = new ModelSpec(model.padding(), model.layers(), model.keras(), model.weights(), model.trainable(),
                    model.head(), model.pixels(), model.fineTune(), batchNormalization);
        }
        var rerun = common.applyOnednn(config, spec);
        if (rerun.isPresent()) {
            return rerun.getAsInt();
        }
        InputShape shape = declared != null ? declared : InputShape.FASHION_MNIST;
        if (input != null) {
            String[] p = input.split(",");
            try {
                shape = new InputShape(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
                        Integer.parseInt(p[2].trim()));
            } catch (RuntimeException e) {
                throw new LosslabException("--input must be H,W,C, e.g. 32,32,3; got '" + input + "'");
            }
        }
        var settings = new Benchmark.Settings(k, steps, Math.max(10, steps / 4), 10_000, common.threads, common.device(),
                trainOnly, common.interOp, common.xla, batch, model,
                common.precision() == null ? Precision.FP32 : common.precision(), shape);
        if (profile) {
            return print(Benchmark.profile(LossRegistry.create(loss, Map.of()), k, batch, steps, settings)); // the file's or config's classes
        }
        if (recipe == null || recipe.equals(Recipe.adam(1e-3))) {
            return print(Benchmark.run(settings, LossRegistry.create(loss, Map.of())));
        }
        // the config's recipe (optimizer, augmentation) against plain Adam on the same network, alternated twice
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("recipe", recipe.describe());
        double[] with = new double[2];
        double[] without = new double[2];
        for (int round = 0; round < 2; round++) {
            var only = new Benchmark.Settings(settings.numClasses(), settings.trainSteps32(), settings.trainSteps128(),
                    settings.inferSamples(), settings.threads(), settings.device(), true, settings.interOpThreads(),
                    settings.xla(), settings.batch(), settings.model(), settings.precision(), settings.input(), null);
            with[round] = trainRate(Benchmark.run(only.withRecipe(recipe), LossRegistry.create(loss, Map.of())));
            without[round] = trainRate(Benchmark.run(only, LossRegistry.create(loss, Map.of())));
        }
        out.put("train_samples_per_s_b32_recipe", String.format(java.util.Locale.ROOT, "%.0f, %.0f", with[0], with[1]));
        out.put("train_samples_per_s_b32_plain_adam", String.format(java.util.Locale.ROOT, "%.0f, %.0f", without[0],
                without[1]));
        out.put("recipe_step_overhead_percent", 100 * (Math.max(without[0], without[1]) / Math.max(with[0], with[1]) - 1));
        return print(out);
    }

    private static double trainRate(Map<String, Object> m) {
        Object v = m.get("train_samples_per_s_b32");
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private int print(Map<String, Object> r) throws IOException {
        var w = spec.commandLine().getOut();
        w.println(String.format(Locale.ROOT, "%-28s %s", "measure", "value"));
        for (var e : r.entrySet()) {
            Object v = e.getValue();
            w.println(String.format(Locale.ROOT, "%-28s %s", e.getKey(),
                    v instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : v));
        }
        w.flush();
        if (out != null) {
            AtomicFiles.writeString(out, TrainingRun.JSON.writeValueAsString(r));
        }
        return 0;
    }
}
