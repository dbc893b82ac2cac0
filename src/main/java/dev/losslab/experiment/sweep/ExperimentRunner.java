package dev.losslab.experiment.sweep;

import dev.losslab.experiment.Summary;
import dev.losslab.experiment.SafeName;
import dev.losslab.experiment.RunRecord;
import dev.losslab.experiment.TrainingRun;
import dev.losslab.experiment.ExperimentConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import dev.losslab.data.AtomicFiles;
import dev.losslab.data.FashionMnist;
import dev.losslab.data.SourceData;
import dev.losslab.experiment.sweep.RunLock;
import dev.losslab.experiment.sweep.Shard;
import dev.losslab.util.OwnedFolder;
import dev.losslab.util.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Runs a sweep: one {@link TrainingRun} per (split, loss, seed) into {@code out/runs/<id>/}, with
 * {@code run.json} written last and atomically, so a run killed at any moment leaves no run.json
 * and is redone (its folder cleared first). With {@code resume}, runs whose run.json exists and
 * parses are skipped. A run that fails (e.g. a diverged loss) is recorded as failed with its reason
 * and the sweep goes on.
 *
 * <p>Several workers may share one output folder (the processes of {@code --jobs}, shards on other
 * machines): each run is claimed with a {@link RunLock} before it is trained, and a run another live
 * worker holds is left to it ("busy"). The summary tables are rewritten after every run under a
 * summary lock, from what is on disk, so they are right whoever writes last; a worker started by
 * {@code --jobs} leaves them to its parent and reports each run on {@code events} instead.
 */
public final class ExperimentRunner {
    static final ObjectMapper READER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Event lines a worker prints for its parent (see {@link ParallelSweep}). */
    public static final String EVENT_START = "@@losslab-run-start ";
    public static final String EVENT_DONE = "@@losslab-run-done ";

    /**
     * How to run the sweep.
     *
     * @param shard the share of the runs this worker takes
     * @param events where a worker reports run starts and ends for its parent; null: not a worker,
     *               write the summary itself
     * @param lockTimeout a lock not refreshed for this long is stale
     * @param configFile the sweep's config file, for the summary's regenerate line; null: configs/NAME.json
     */
    public record Options(Path out, boolean resume, String only, TrainingRun.Environment env, Shard shard,
                          PrintStream events, Duration lockTimeout, Path configFile) {
        public Options(Path out, boolean resume, String only, TrainingRun.Environment env) {
            this(out, resume, only, env, Shard.ALL, null, RunLock.DEFAULT_TIMEOUT, null);
        }
    }

    /** What the sweep did; {@code busy} runs were held by other live workers. */
    public record Outcome(int total, int skipped, int ran, int failed, int busy) {
        public Outcome(int total, int skipped, int ran, int failed) {
            this(total, skipped, ran, failed, 0);
        }
    }

    private final PrintStream log;

    public ExperimentRunner(PrintStream log) {
        this.log = log;
    }

    /** The runs a worker with these options takes: {@code --only}, then its shard. */
    public static List<ExperimentConfig.Run> planned(ExperimentConfig config, String only, Shard shard) {
        return shard.select(select(config.runs(), only));
    }

    /** Fails when a run of {@code runs} already has a run.json (the check without --resume). */
    public static void checkFresh(Path out, List<ExperimentConfig.Run> runs) {
        Path runsDir = out.resolve("runs");
        for (ExperimentConfig.Run r : runs) {
            if (Files.exists(SafeName.inside(runsDir, r.id()).resolve("run.json"))) {
                throw new LosslabException(runsDir.resolve(r.id()) + " already has a run.json; pass --resume to keep "
                        + "finished runs, or choose another --out");
            }
        }
    }

    public Outcome run(ExperimentConfig config, FashionMnist data, Options o) {
        return run(config, data.toSourceData(), o);
    }

    /**
     * The time left, from the sweep's pace: {@code landed} runs finished (by any worker of this sweep,
     * here or on other machines sharing the folder) in {@code elapsedSeconds}, {@code remaining} not
     * finished yet; "?" before the first lands. Counting every worker's runs keeps the estimate right
     * when several share the queue (each worker's own pace would overstate it by their number).
     */
    static String eta(double elapsedSeconds, int landed, int remaining) {
        if (remaining <= 0) {
            return "0s";
        }
        return landed <= 0 ? "?" : ProgressBar.formatSeconds(elapsedSeconds / landed * remaining);
    }

    /** How many of {@code runs} have a run.json (finished or failed) under {@code runsDir}. */
    private static int finished(Path runsDir, List<ExperimentConfig.Run> runs) {
        int n = 0;
        for (ExperimentConfig.Run r : runs) {
            if (Files.isRegularFile(SafeName.inside(runsDir, r.id()).resolve("run.json"))) {
                n++;
            }
        }
        return n;
    }

    public Outcome run(ExperimentConfig config, SourceData data, Options o) {
        List<ExperimentConfig.Run> all = select(config.runs(), o.only());
        List<ExperimentConfig.Run> runs = o.shard().select(all);
        Path runsDir = o.out().resolve("runs");
        if (!o.resume()) {
            checkFresh(o.out(), runs);
        }
        int skipped = 0;
        int ran = 0;
        int failed = 0;
        int busy = 0;
        long start = System.nanoTime();
        int finishedAtStart = finished(runsDir, runs);
        for (int i = 0; i < runs.size(); i++) {
            ExperimentConfig.Run r = runs.get(i);
            Path dir = SafeName.inside(runsDir, r.id());
            if (o.resume() && readRecord(dir.resolve("run.json")) != null) {
                skipped++;
                continue;
            }
            Optional<RunLock> claim = claim(o, r);
            if (claim.isEmpty()) {
                busy++;
                continue;
            }
            try (RunLock lock = claim.get()) {
                if (readRecord(dir.resolve("run.json")) != null) {
                    skipped++; // another worker finished it between our check and our claim
                    continue;
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                int finishedNow = finished(runsDir, runs);
                String eta = eta(elapsed, finishedNow - finishedAtStart, runs.size() - finishedNow);
                log.println(String.format(Locale.ROOT, "[run %d/%d, %d skipped, %s elapsed, eta %s] %s", i + 1, runs.size(),
                        skipped, ProgressBar.formatSeconds(elapsed), eta, r.id()));
                event(o, EVENT_START + r.id());
                clear(dir);
                long runStart = System.nanoTime();
                String status = "ok";
                try {
                    new TrainingRun(log).execute(r.config(), o.env(), dir, data);
                } catch (LosslabException.DiskFull e) {
                    // every later run would fail the same way: stop, leaving this run absent (--resume redoes it)
                    event(o, EVENT_DONE + r.id() + " diskfull");
                    throw e;
                } catch (LosslabException e) {
                    failed++;
                    status = "failed";
                    log.println("run " + r.id() + " failed: " + e.getMessage());
                    writeFailure(dir, r, data, o, e.getMessage(), (System.nanoTime() - runStart) / 1e9);
                }
                ran++;
                event(o, EVENT_DONE + r.id() + " " + status);
            }
            if (o.events() == null) {
                Summary.writeLocked(o.out(), config, all, o.configFile());
            }
        }
        if (o.events() == null) {
            Summary.writeLocked(o.out(), config, all, o.configFile());
        }
        return new Outcome(runs.size(), skipped, ran, failed, busy);
    }

    private Optional<RunLock> claim(Options o, ExperimentConfig.Run r) {
        try {
            Optional<RunLock> lock = RunLock.tryAcquire(o.out(), r.id(), o.lockTimeout());
            if (lock.isEmpty() && o.events() == null) {
                var state = RunLock.read(RunLock.file(o.out(), r.id()), o.lockTimeout());
                log.println("run " + r.id() + " is being trained by another worker ("
                        + state.map(s -> s.holder() == null ? "unreadable lock" : s.holder().describe()).orElse("just finished")
                        + "); leaving it");
            }
            return lock;
        } catch (IOException e) {
            throw new LosslabException("cannot lock " + r.id() + " in " + o.out() + ": " + e.getMessage());
        }
    }

    private static void event(Options o, String line) {
        if (o.events() != null) {
            o.events().println(line);
            o.events().flush();
        }
    }

    public static List<ExperimentConfig.Run> select(List<ExperimentConfig.Run> runs, String only) {
        if (only == null || only.isBlank()) {
            return runs;
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + only);
        List<ExperimentConfig.Run> out = new ArrayList<>();
        for (ExperimentConfig.Run r : runs) {
            if (m.matches(Path.of(r.id()))) {
                out.add(r);
            }
        }
        if (out.isEmpty()) {
            throw new LosslabException("--only '" + only + "' matches none of the " + runs.size() + " runs (ids look like "
                    + runs.get(0).id() + ")");
        }
        return out;
    }

    /** The parsed run.json, or null when it is missing or unreadable (then the run is redone). */
    public static RunRecord readRecord(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return READER.readValue(file.toFile(), RunRecord.class);
        } catch (IOException e) {
            return null;
        }
    }

    private void writeFailure(Path dir, ExperimentConfig.Run r, SourceData data, Options o, String reason, double seconds) {
        try {
            clear(dir);
            OwnedFolder.create(dir);
            RunRecord rec = RunRecord.failed(r.config(), TrainingRun.provenance(data), o.env().device().toString(), reason,
                    seconds);
            AtomicFiles.writeString(dir.resolve("run.json"), TrainingRun.JSON.writeValueAsString(rec));
        } catch (IOException e) {
            throw LosslabException.writing("cannot record the failure of " + r.id(), e);
        }
    }

    /**
     * Removes what an interrupted run left behind: its hidden partial siblings (a killed worker's) and a folder from an
     * earlier failure, both losslab's (the run is locked, so no live worker writes them); a folder losslab did not
     * write is refused, never emptied.
     */
    private static void clear(Path dir) {
        try {
            Path parent = dir.getParent();
            if (Files.isDirectory(parent)) {
                String prefix = "." + dir.getFileName() + ".partial-";
                try (Stream<Path> s = Files.list(parent)) {
                    for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                        OwnedFolder.delete(p);
                    }
                }
            }
            OwnedFolder.delete(dir);
        } catch (IOException e) {
            throw new LosslabException("cannot clear " + dir + ": " + e.getMessage() + " (move it away and run again)");
        }
    }
}
