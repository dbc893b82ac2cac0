package dev.losslab.cli;

import dev.losslab.data.FashionMnistSource;
import dev.losslab.experiment.ExperimentConfig;
import dev.losslab.experiment.ExperimentRunner;
import dev.losslab.experiment.TrainingRun;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run a sweep config: one training run per (split, loss, seed) into --out/runs/<id>/, "
                + "with summary.csv and summary.md rewritten after every run.")
public final class ExperimentCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "sweep config, e.g. configs/binary.json")
    Path config;

    @Option(names = "--out", description = "output folder (default: results/<config name>)")
    Path out;

    @Option(names = "--resume", description = "skip runs whose run.json exists and parses; redo the others")
    boolean resume;

    @Option(names = "--only", description = "glob on run ids, e.g. '90-10-*' or '*-soft_f1-seed1'")
    String only;

    @Option(names = "--data-dir", description = "Fashion-MNIST folder (default: $LOSSLAB_DATA, ~/.cache/losslab/fashion-mnist, Debian's package)")
    Path dataDir;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExperimentConfig c = ExperimentConfig.load(config);
        int total = ExperimentRunner.select(c.runs(), only).size();
        Path target = out != null ? out : Path.of("results", c.name());
        var data = new FashionMnistSource(System.err).load(dataDir);
        var env = new TrainingRun.Environment(dataDir, common.device(), common.threads, common.interOp, common.xla, true);
        var outcome = new ExperimentRunner(System.err).run(c, data,
                new ExperimentRunner.Options(target, resume, only, env));
        var w = spec.commandLine().getOut();
        w.println(String.format(Locale.ROOT, "%d runs: %d ran (%d failed), %d skipped -> %s", total, outcome.ran(),
                outcome.failed(), outcome.skipped(), target.resolve("summary.md")));
        w.flush();
        return outcome.failed() > 0 ? 1 : 0;
    }
}
