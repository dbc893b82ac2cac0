package dev.losslab.cli;

import dev.losslab.LosslabException;
import dev.losslab.experiment.AnyConfig;
import dev.losslab.experiment.RunConfig;
import dev.losslab.experiment.TrainingRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train one model from a JSON run config, tune its threshold on validation, evaluate on test, "
                + "and write run.json, model/ (SavedModel), probability CSVs and decision-rule.json to --out.",
                "The recipe is the config's, in Keras' words: \"optimizer\" (SGD, Adam, AdamW, RMSprop, Adagrad, Nadam, Adamax; "
                        + "a learning_rate may be a schedule: ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, "
                        + "InverseTimeDecay, CosineDecay, CosineDecayRestarts, with \"unit\": \"epochs\"), \"callbacks\" "
                        + "(EarlyStopping, ReduceLROnPlateau), \"sampling\" (uniform, class_balanced, square_root, "
                        + "{\"type\": ..., \"fromEpoch\": N}) and \"augmentation\" (RandomFlip, RandomCrop, "
                        + "RandomTranslation, RandomRotation, RandomZoom, RandomContrast, RandomBrightness, RandomInvert, ZeroPadding2D); "
                        + "default Adam at \"learningRate\". run.json records it under \"training\"; see docs/commands.md."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "run config (JSON), e.g. configs/quick-binary.json, or a "
            + "sweep config (then one of its runs: --split, --loss, --seed; the first of each by default)")
    Path config;

    @Option(names = "--split", description = "with a sweep config: which split (e.g. 90-10, exp100, all)")
    String split;

    @Option(names = "--out", required = true, description = "output folder (must be empty unless --force)")
    Path out;

    @Option(names = "--loss", description = "override the config's loss; with a sweep config, which of its methods to run "
            + "(e.g. crossentropy+class_balanced-from20)")
    String loss;

    @Option(names = "--epochs", description = "override the config's epochs")
    Integer epochs;

    @Option(names = "--seed", description = "override the config's seed")
    Long seed;

    @Option(names = "--data-dir", description = "Fashion-MNIST folder, when the config has no data block (default: $LOSSLAB_DATA, "
            + "~/.cache/losslab/fashion-mnist, Debian's package)")
    Path dataDir;

    @Option(names = "--force", description = "overwrite a non-empty --out")
    boolean force;

    @Option(names = "--no-tensorboard", description = "do not write TensorBoard logs (default: OUT/logs, Keras' layout)")
    boolean noTensorboard;

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        boolean sweep = AnyConfig.isSweep(config);
        if (split != null && !sweep) {
            throw new LosslabException("--split applies to a sweep config; " + config + " is a run config");
        }
        RunConfig c = sweep ? AnyConfig.runConfig(config, split, loss, seed, System.err)
                : RunConfig.load(config);
        if (loss != null && !sweep) { // a sweep's --loss chooses its run (a method may carry a sampler: ce+class_balanced)
            c = c.withLoss(loss);
        }
        if (epochs != null) {
            c = c.withEpochs(epochs);
        }
        if (seed != null) {
            c = c.withSeed(seed);
        }
        if (common.precision() != null) {
            c = c.withPrecision(common.precision());
        }
        c.validate();
        var rerun = common.applyOnednn(config, spec);
        if (rerun.isPresent()) {
            return rerun.getAsInt();
        }
        PrintStream log = System.err;
        new TrainingRun(log).execute(c, new TrainingRun.Environment(dataDir, common.device(), common.threads, common.interOp,
                common.xla, force, !noTensorboard), out);
        return 0;
    }
}
