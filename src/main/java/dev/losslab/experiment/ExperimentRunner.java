package dev.losslab.experiment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import dev.losslab.data.AtomicFiles;
import dev.losslab.data.FashionMnist;
import dev.losslab.util.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs a sweep: one {@link TrainingRun} per (split, loss, seed) into {@code out/runs/<id>/}, with
 * {@code run.json} written last and atomically, so a run killed at any moment leaves no run.json
 * and is redone (its folder cleared first). With {@code resume}, runs whose run.json exists and
 * parses are skipped. A run that fails (e.g. a diverged loss) is recorded as failed with its reason
 * and the sweep goes on. The summary tables are rewritten after every run.
 */
public final class ExperimentRunner {
    static final ObjectMapper READER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** How to run the sweep. */
    public record Options(Path out, boolean resume, String only, TrainingRun.Environment env) {
    }

    /** What the sweep did. */
    public record Outcome(int total, int skipped, int ran, int failed) {
    }

    private final PrintStream log;

    public ExperimentRunner(PrintStream log) {
        this.log = log;
    }

    public Outcome run(ExperimentConfig config, FashionMnist data, Options o) {
        List<ExperimentConfig.Run> runs = select(config.runs(), o.only());
        Path runsDir = o.out().resolve("runs");
        if (!o.resume()) {
            for (ExperimentConfig.Run r : runs) {
                if (Files.exists(runsDir.resolve(r.id()).resolve("run.json"))) {
                    throw new LosslabException(runsDir.resolve(r.id()) + " already has a run.json; pass --resume to keep "
                            + "finished runs, or choose another --out");
                }
            }
        }
        int skipped = 0;
        int ran = 0;
        int failed = 0;
        long start = System.nanoTime();
        for (int i = 0; i < runs.size(); i++) {
            ExperimentConfig.Run r = runs.get(i);
            Path dir = runsDir.resolve(r.id());
            if (o.resume() && readRecord(dir.resolve("run.json")) != null) {
                skipped++;
                continue;
            }
            int done = ran;
            double elapsed = (System.nanoTime() - start) / 1e9;
            String eta = done == 0 ? "?" : ProgressBar.formatSeconds(elapsed / done * (runs.size() - i));
            log.println(String.format(Locale.ROOT, "[run %d/%d, %d skipped, %s elapsed, eta %s] %s", i + 1, runs.size(),
                    skipped, ProgressBar.formatSeconds(elapsed), eta, r.id()));
            clear(dir);
            long runStart = System.nanoTime();
            try {
                new TrainingRun(log).execute(r.config(), o.env(), dir, data);
            } catch (LosslabException e) {
                failed++;
                log.println("run " + r.id() + " failed: " + e.getMessage());
                writeFailure(dir, r, data, o, e.getMessage(), (System.nanoTime() - runStart) / 1e9);
            }
            ran++;
            Summary.write(o.out(), config, runs);
        }
        Summary.write(o.out(), config, runs);
        return new Outcome(runs.size(), skipped, ran, failed);
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

    private void writeFailure(Path dir, ExperimentConfig.Run r, FashionMnist data, Options o, String reason, double seconds) {
        try {
            clear(dir);
            Files.createDirectories(dir);
            RunRecord rec = RunRecord.failed(r.config(), Provenance.collect(data.directory(), data.canonical(),
                    data.contentSha256()), o.env().device().toString(), reason, seconds);
            AtomicFiles.writeString(dir.resolve("run.json"), TrainingRun.JSON.writeValueAsString(rec));
        } catch (IOException e) {
            throw new LosslabException("cannot record the failure of " + r.id() + ": " + e.getMessage());
        }
    }

    /** Removes what an interrupted run left behind (temp files, a half-exported model). */
    private static void clear(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new LosslabException("cannot clear " + dir + ": " + e.getMessage());
        }
    }
}
