package dev.losslab.experiment.sweep;

import dev.losslab.util.Terminal;
import dev.losslab.util.JavaLauncher;
import dev.losslab.experiment.RunRecord;
import dev.losslab.LosslabException;
import dev.losslab.experiment.ExperimentConfig;
import dev.losslab.experiment.sweep.ExperimentRunner;
import dev.losslab.experiment.SafeName;
import dev.losslab.experiment.Summary;
import dev.losslab.util.ProgressBar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code experiment --jobs N}: N worker processes ({@code experiment --worker --resume}, each a JVM
 * with its own TensorFlow and its own intra-op threads) share the sweep through {@link RunLock}s,
 * each taking the next unclaimed run. This process only watches: it prefixes each worker's log lines
 * with its job number, keeps one status line with every running run's progress, and is the one
 * writer of the summary, rewritten after every finished run.
 *
 * <p>Processes rather than sessions in one JVM: TensorFlow sizes its intra-op pool once per process
 * (from the first session), so sessions side by side would share it; separate processes also let
 * a killed worker take nothing else down, and are the same workers shards and Slurm tasks run.
 */
public final class ParallelSweep {

    /** What to run: the CLI options a worker needs, made absolute. */
    public record Plan(Path config, Path out, boolean resume, String only, Shard shard, Path dataDir, String device,
                       int threadsPerRun, int jobs, Duration lockTimeout, String precision, boolean tensorboard) {
        public Plan(Path config, Path out, boolean resume, String only, Shard shard, Path dataDir, String device,
                    int threadsPerRun, int jobs, Duration lockTimeout, String precision) {
            this(config, out, resume, only, shard, dataDir, device, threadsPerRun, jobs, lockTimeout, precision, true);
        }
    }

    private final PrintStream log;
    private final boolean live;
    private final Object lock = new Object();
    private final String[] current;
    private final String[] progress;
    private int done;
    private int failed;
    private boolean diskFull;
    private int lastStatusWidth;
    private final List<String> failedRuns = new ArrayList<>();
    private Path out;
    private Path configFile;
    private long lastDraw;

    public ParallelSweep(PrintStream log, int jobs) {
        this.log = log;
        this.live = Terminal.isLive(log);
        this.current = new String[jobs];
        this.progress = new String[jobs];
    }

    public ExperimentRunner.Outcome run(ExperimentConfig config, Plan plan) {
        out = plan.out();
        configFile = plan.config();
        List<ExperimentConfig.Run> all = ExperimentRunner.select(config.runs(), plan.only());
        List<ExperimentConfig.Run> runs = plan.shard().select(all);
        if (!plan.resume()) {
            ExperimentRunner.checkFresh(plan.out(), runs);
        }
        int skipped = 0;
        for (ExperimentConfig.Run r : runs) {
            if (RunRecord.read(SafeName.inside(plan.out().resolve("runs"), r.id()).resolve("run.json")) != null) {
                skipped++;
            }
        }
        int todo = runs.size() - skipped;
        log.println(String.format(Locale.ROOT, "%d runs, %d already done; %d jobs, %d intra-op thread(s) each",
                runs.size(), skipped, plan.jobs(), plan.threadsPerRun()));
        List<Process> workers = new ArrayList<>();
        Thread hook = new Thread(() -> workers.forEach(Process::destroy), "stop-workers");
        Runtime.getRuntime().addShutdownHook(hook);
        List<Thread> readers = new ArrayList<>();
        long start = System.nanoTime();
        int badExits = 0;
        try {
            for (int j = 0; j < plan.jobs(); j++) {
                ProcessBuilder pb = new ProcessBuilder(workerCommand(plan));
                // workers draw their bars for this process to read only when it shows them live
                pb.environment().put(Terminal.ENV, live ? "live" : "lines");
                Process p = pb.start();
                workers.add(p);
                int job = j;
                readers.add(reader("job-" + (j + 1) + "-events", () -> readEvents(job, p.getInputStream(), config, all)));
                readers.add(reader("job-" + (j + 1) + "-log", () -> readLog(job, p.getErrorStream(), start, todo)));
            }
            for (int j = 0; j < workers.size(); j++) {
                int code = workers.get(j).waitFor();
                if (code != 0) {
                    badExits++;
                    synchronized (lock) {
                        printLine("[job " + (j + 1) + "] exited with status " + code);
                    }
                }
            }
            for (Thread t : readers) {
                t.join();
            }
        } catch (IOException e) {
            throw new LosslabException("cannot start a worker process: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LosslabException("interrupted; finished runs are kept, --resume redoes the others");
        } finally {
            workers.forEach(Process::destroy);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        if (diskFull) {
            synchronized (lock) {
                clearStatus();
            }
            throw new LosslabException.DiskFull("the disk holding " + plan.out() + " is full: the sweep stopped; "
                    + "finished runs are kept, free some space and run again with --resume", null);
        }
        Summary.writeLocked(plan.out(), config, all, plan.config());
        synchronized (lock) {
            clearStatus();
            if (!failedRuns.isEmpty()) {
                log.println("failed runs: " + String.join(", ", failedRuns));
            }
        }
        int notDone = 0;
        for (var e : SweepStatus.of(plan.out(), runs, plan.lockTimeout())) {
            if (e.state() != SweepStatus.State.DONE && e.state() != SweepStatus.State.FAILED) {
                notDone++;
            }
        }
        if (badExits > 0 || notDone > 0) {
            log.println(notDone + " run(s) not finished, " + badExits + " worker(s) exited abnormally; "
                    + "rerun with --resume to finish them");
        }
        return new ExperimentRunner.Outcome(runs.size(), skipped, done, failed, notDone);
    }

    List<String> workerCommand(Plan plan) {
        List<String> cmd = new ArrayList<>(JavaLauncher.workerCommand());
        cmd.addAll(List.of("experiment", "--worker", "--resume", "--jobs", "1",
                "--config", plan.config().toAbsolutePath().toString(),
                "--out", plan.out().toAbsolutePath().toString(),
                "--threads", String.valueOf(plan.threadsPerRun()),
                "--device", plan.device(),
                "--shard", plan.shard().toString(),
                "--lock-timeout", String.valueOf(plan.lockTimeout().toSeconds())));
        if (plan.precision() != null) {
            cmd.addAll(List.of("--precision", plan.precision()));
        }
        if (!plan.tensorboard()) {
            cmd.add("--no-tensorboard");
        }
        if (plan.only() != null) {
            cmd.addAll(List.of("--only", plan.only()));
        }
        if (plan.dataDir() != null) {
            cmd.addAll(List.of("--data-dir", plan.dataDir().toAbsolutePath().toString()));
        }
        return cmd;
    }

    private static Thread reader(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void readEvents(int job, InputStream in, ExperimentConfig config, List<ExperimentConfig.Run> all) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(ExperimentRunner.EVENT_START)) {
                    synchronized (lock) {
                        current[job] = line.substring(ExperimentRunner.EVENT_START.length()).trim();
                        progress[job] = "starting";
                    }
                } else if (line.startsWith(ExperimentRunner.EVENT_DONE)) {
                    String[] parts = line.substring(ExperimentRunner.EVENT_DONE.length()).trim().split(" ");
                    synchronized (lock) {
                        if (parts.length > 1 && parts[1].equals("diskfull")) {
                            diskFull = true; // not done: the run left nothing, --resume redoes it
                            current[job] = null;
                            progress[job] = null;
                            continue;
                        }
                        done++;
                        if (parts.length > 1 && !parts[1].equals("ok")) {
                            failed++;
                            failedRuns.add(parts[0]);
                        }
                        current[job] = null;
                        progress[job] = null;
                    }
                    Summary.writeLocked(out, config, all, configFile);
                } else if (!line.isBlank()) {
                    synchronized (lock) {
                        printLine("[job " + (job + 1) + "] " + line);
                    }
                }
            }
        } catch (IOException ignored) {
            // the worker is gone; its exit status tells
        }
    }

    /** Splits the worker's stderr at \r and \n: progress-bar redraws update its status, other lines are printed. */
    private void readLog(int job, InputStream in, long start, int todo) {
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = r.read()) != -1) {
                if (c != '\r' && c != '\n') {
                    sb.append((char) c);
                    continue;
                }
                String segment = sb.toString();
                sb.setLength(0);
                if (segment.isBlank()) {
                    continue;
                }
                synchronized (lock) {
                    if (segment.contains(" samples/s, eta ") && segment.contains("%")) {
                        progress[job] = shortBar(segment);
                    } else {
                        printLine("[job " + (job + 1) + "] " + segment);
                    }
                    drawStatus(start, todo);
                }
            }
        } catch (IOException ignored) {
            // the worker is gone
        }
    }

    /** "epoch 3/10 [=====   ]  45% 123/456 samples, ..." -> "epoch 3/10 45%". */
    static String shortBar(String bar) {
        int open = bar.indexOf('[');
        int close = bar.indexOf(']');
        int pct = bar.indexOf('%');
        if (open < 0 || close < open || pct < close) {
            return bar;
        }
        return bar.substring(0, open).trim() + " " + bar.substring(close + 1, pct + 1).trim();
    }

    private void drawStatus(long start, int todo) {
        if (!live) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 500_000_000L) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - start) / 1e9;
        String eta = done == 0 ? "?" : ProgressBar.formatSeconds(elapsed / done * Math.max(0, todo - done));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[%d/%d done, %d failed, %s elapsed, eta %s]",
                done, todo, failed, ProgressBar.formatSeconds(elapsed), eta));
        for (int j = 0; j < current.length; j++) {
            if (current[j] != null) {
                sb.append(" | job ").append(j + 1).append(' ').append(current[j]).append(' ')
                        .append(progress[j] == null ? "" : progress[j]);
            }
        }
        String status = sb.length() > 220 ? sb.substring(0, 217) + "..." : sb.toString();
        log.print("\r" + status + " ".repeat(Math.max(0, lastStatusWidth - status.length())));
        log.flush();
        lastStatusWidth = status.length();
    }

    private void clearStatus() {
        if (lastStatusWidth > 0) {
            log.print("\r" + " ".repeat(lastStatusWidth) + "\r");
            lastStatusWidth = 0;
        }
    }

    private void printLine(String line) {
        clearStatus();
        log.println(line);
        lastDraw = 0;
    }
}
