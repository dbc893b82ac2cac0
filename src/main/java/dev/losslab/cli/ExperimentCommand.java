package dev.losslab.cli;

import dev.losslab.experiment.Summary;
import dev.losslab.experiment.sweep.ParentWatch;
import dev.losslab.tensorboard.SweepLog;
import dev.losslab.LosslabException;
import dev.losslab.data.FashionMnistSource;
import dev.losslab.experiment.ExperimentConfig;
import dev.losslab.experiment.sweep.ExperimentRunner;
import dev.losslab.experiment.TrainingRun;
import dev.losslab.experiment.sweep.ParallelSweep;
import dev.losslab.experiment.sweep.Shard;
import dev.losslab.experiment.sweep.SweepStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run a sweep config: one training run per (split, loss, seed) into --out/runs/<id>/, "
                + "with summary.csv and summary.md rewritten after every run. Each run uses --threads intra-op "
                + "threads (default 1, so its numbers do not depend on how the sweep is scheduled); --jobs runs "
                + "several at a time in worker processes (which end if this process is killed); --shard takes a share "
                + "of the sweep (for several machines). A full disk stops the sweep in one line; the run it was writing "
                + "is left out, and --resume redoes it.")
public final class ExperimentCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "sweep config, e.g. configs/binary.json")
    Path config;

    @Option(names = "--out", description = "output folder (default: results/<config name>)")
    Path out;

    @Option(names = "--resume", description = "skip runs whose run.json exists and parses; redo the others")
    boolean resume;

    @Option(names = "--only", description = "glob on run ids, e.g. '90-10-*' or '*-soft_f1-seed1'")
    String only;

    @Option(names = "--jobs", description = "runs at a time, each in its own worker process "
            + "(default: the core count / --threads)")
    Integer jobs;

    @Option(names = "--shard", description = "I/N: run only the runs at positions p with p mod N = I (0 <= I < N); "
            + "shards sharing --out make the whole sweep together")
    String shard;

    @Option(names = "--status", description = "list the sweep's done / running / stale / failed / missing runs in --out and exit")
    boolean status;

    @Option(names = "--summary", description = "only rewrite summary.csv and summary.md in --out from the run.json files there "
            + "(no training; idempotent, e.g. after the last shard ended)")
    boolean summaryOnly;

    @Option(names = "--lock-timeout", defaultValue = "600", description = "seconds after which a run lock that was not "
            + "refreshed is stale and taken over (a holder on this host that died is detected at once) (default: ${DEFAULT-VALUE})")
    long lockTimeoutSeconds;

    @Option(names = "--no-tensorboard", description = "do not write TensorBoard logs (default: each run's logs/ and "
            + "the sweep's HParams experiment in --out)")
    boolean noTensorboard;

    @Option(names = "--worker", hidden = true, description = "internal: a worker of --jobs (reports runs on stdout, leaves the summary to its parent)")
    boolean worker;

    @Option(names = "--data-dir", description = "Fashion-MNIST folder, when the config has no data block (default: $LOSSLAB_DATA, "
            + "~/.cache/losslab/fashion-mnist, Debian's package)")
    Path dataDir;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExperimentConfig c = ExperimentConfig.load(config);
        var rerun = common.applyOnednn(config, spec);
        if (rerun.isPresent()) {
            return rerun.getAsInt();
        }
        if (common.precision() != null) {
            c = c.withPrecision(common.precision());
        }
        Shard part = shard == null ? Shard.ALL : Shard.parse(shard);
        List<ExperimentConfig.Run> planned = ExperimentRunner.planned(c, only, part);
        Path target = out != null ? out : Path.of("results", c.name());
        if (lockTimeoutSeconds < 1) {
            throw new LosslabException("--lock-timeout must be >= 1 second, got " + lockTimeoutSeconds);
        }
        Duration lockTimeout = Duration.ofSeconds(lockTimeoutSeconds);
        var w = spec.commandLine().getOut();
        if (status) {
            return printStatus(planned, target, lockTimeout, w);
        }
        if (summaryOnly) {
            if (!java.nio.file.Files.isDirectory(target.resolve("runs"))) {
                throw new LosslabException(target + " holds no runs/ folder: nothing to summarise");
            }
            Summary.writeLocked(target, c, ExperimentRunner.select(c.runs(), only), config);
            w.println("rewrote " + target.resolve("summary.md") + " and summary.csv");
            w.flush();
            return 0;
        }
        int threads = common.threads > 0 ? common.threads : 1;
        int cores = Runtime.getRuntime().availableProcessors();
        int n = jobs != null ? jobs : Math.max(1, cores / threads);
        if (n < 1) {
            throw new LosslabException("--jobs must be >= 1, got " + n);
        }
        n = Math.min(n, Math.max(1, planned.size()));
        for (var r : planned) {
            // a precision this machine lacks is one line before any data are read or workers start
            r.config().precision().check(common.device());
        }
        if (!worker && !noTensorboard) {
            SweepLog.writeExperiment(target, System.err);
        }
        ExperimentRunner.Outcome outcome;
        if (worker) {
            ParentWatch.start(System.err);
        }
        if (n > 1 && !worker) {
            // read (and on a first run decode, hash and cache) the data once here, so that the workers each read the
            // decoded cache instead of all decoding the same files at once; bad data is one line before any worker.
            // Fashion-MNIST already in the decoded cache is left to the workers (they only read the cache).
            if (c.data() != null || !FashionMnistSource.isCached(dataDir)) {
                TrainingRun.loadData(c.data(), dataDir, System.err);
            }
            var plan = new ParallelSweep.Plan(config, target, resume, only, part, dataDir, common.device, threads, n, lockTimeout,
                    common.precision, !noTensorboard);
            outcome = new ParallelSweep(System.err, n).run(c, plan);
        } else {
            TrainingRun.markStartup();
            long loadStart = System.nanoTime();
            var data = TrainingRun.loadData(c.data(), dataDir, System.err);
            TrainingRun.sharedDataLoad((System.nanoTime() - loadStart) / 1e9);
            var env = new TrainingRun.Environment(dataDir, common.device(), threads, common.interOp, common.xla, true,
                    !noTensorboard);
            PrintStream events = worker ? System.out : null;
            outcome = new ExperimentRunner(System.err).run(c, data,
                    new ExperimentRunner.Options(target, resume, only, env, part, events, lockTimeout, config));
        }
        if (!worker) {
            // runs other processes sharing the folder finished while this one ran (their run.json appeared meanwhile)
            var now = SweepStatus.counts(SweepStatus.of(target, planned, lockTimeout));
            int byOthers = now.get(SweepStatus.State.DONE) + now.get(SweepStatus.State.FAILED) - outcome.skipped()
                    - outcome.ran();
            w.println(String.format(Locale.ROOT, "%d runs: %d ran (%d failed), %d skipped%s%s -> %s", planned.size(),
                    outcome.ran(), outcome.failed(), outcome.skipped(),
                    n == 1 && byOthers > 0 ? ", " + byOthers + " finished by other workers meanwhile" : "",
                    outcome.busy() > 0 ? ", " + outcome.busy() + " left to other workers or unfinished" : "",
                    target.resolve("summary.md")));
            w.flush();
        }
        return outcome.failed() > 0 || (n > 1 && !worker && outcome.busy() > 0) ? 1 : 0;
    }

    private static int printStatus(List<ExperimentConfig.Run> planned, Path target, Duration lockTimeout,
                                   java.io.PrintWriter w) {
        var entries = SweepStatus.of(target, planned, lockTimeout);
        var counts = SweepStatus.counts(entries);
        w.println(String.format(Locale.ROOT, "%s: %d runs: %d done, %d running, %d stale, %d failed, %d missing", target,
                entries.size(), counts.get(SweepStatus.State.DONE), counts.get(SweepStatus.State.RUNNING),
                counts.get(SweepStatus.State.STALE), counts.get(SweepStatus.State.FAILED),
                counts.get(SweepStatus.State.MISSING)));
        for (var e : entries) {
            if (e.state() != SweepStatus.State.DONE) {
                w.println(String.format(Locale.ROOT, "  %-8s %s%s", e.state().name().toLowerCase(Locale.ROOT), e.id(),
                        e.detail() == null || e.detail().isEmpty() ? "" : "  (" + Main.oneLine(e.detail()) + ")"));
            }
        }
        w.flush();
        return 0;
    }
}
