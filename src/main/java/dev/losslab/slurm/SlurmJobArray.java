package dev.losslab.slurm;

import dev.losslab.LosslabException;
import dev.losslab.data.AtomicFiles;
import dev.losslab.experiment.ExperimentConfig;
import dev.losslab.experiment.sweep.SweepStatus;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a {@link SlurmArrayScript}, submits it with {@code sbatch --parsable} and waits for it by
 * polling {@code squeue -h -j JOBID} until the array has left the queue (no accounting needed);
 * then every task's exit file and every run's state say whether the sweep is complete.
 */
public final class SlurmJobArray {
    private final SlurmArrayScript script;
    private final PrintStream log;

    public SlurmJobArray(SlurmArrayScript script, PrintStream log) {
        this.script = script;
        this.log = log;
    }

    /** Writes the script (executable) atomically; returns its path. */
    public Path write() {
        try {
            Files.createDirectories(script.slurmDir());
            AtomicFiles.writeString(script.scriptFile(), script.render());
            try {
                Files.setPosixFilePermissions(script.scriptFile(), PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException ignored) {
                // not POSIX: sbatch reads the file anyway
            }
            return script.scriptFile();
        } catch (IOException e) {
            throw new LosslabException("cannot write " + script.scriptFile() + ": " + e.getMessage());
        }
    }

    /** Submits the written script; returns the job id. */
    public String submit() {
        requireOnPath("sbatch");
        for (int t = 0; t < script.tasks(); t++) {
            try {
                Files.deleteIfExists(script.exitFile(t)); // exit files of an earlier submission would mislead --wait
            } catch (IOException e) {
                throw new LosslabException("cannot clear " + script.exitFile(t) + ": " + e.getMessage());
            }
        }
        String outText = run(List.of("sbatch", "--parsable", script.scriptFile().toAbsolutePath().toString()),
                Duration.ofMinutes(2), "sbatch");
        String id = outText.trim().split(";")[0].trim();
        if (!id.matches("\\d+")) {
            throw new LosslabException("sbatch did not print a job id: " + outText.trim());
        }
        return id;
    }

    /** Blocks until job {@code id} has left the queue, printing how many tasks are pending and running. */
    public void waitFor(String id, Duration poll) {
        requireOnPath("squeue");
        String last = "";
        while (true) {
            String q;
            try {
                q = run(List.of("squeue", "-h", "-j", id, "-o", "%T"), Duration.ofMinutes(1), "squeue");
            } catch (LosslabException e) {
                if (e.getMessage().contains("Invalid job id")) {
                    return; // purged from the controller's memory: finished
                }
                throw e;
            }
            if (q.isBlank()) {
                return;
            }
            long running = q.lines().filter(l -> l.trim().equals("RUNNING")).count();
            long other = q.lines().filter(l -> !l.isBlank()).count() - running;
            String now = "job " + id + ": " + running + " task(s) running, " + other + " pending or ending";
            if (!now.equals(last)) {
                log.println(now);
                last = now;
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LosslabException("interrupted while waiting for job " + id);
            }
        }
    }

    /** Problems after the array ended: tasks without exit status or with a non-zero one, failed or missing runs. */
    public List<String> problems(ExperimentConfig config, Duration lockTimeout) {
        List<String> problems = new ArrayList<>();
        for (int t = 0; t < script.tasks(); t++) {
            Path f = script.exitFile(t);
            try {
                String s = Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.UTF_8).trim() : null;
                if (s == null) {
                    problems.add("task " + t + " ended without an exit status (killed or cancelled; see " + script.logFile(t) + ")");
                } else if (!s.equals("0")) {
                    problems.add("task " + t + " exited with status " + s + " (see " + script.logFile(t) + ")");
                }
            } catch (IOException e) {
                problems.add("task " + t + ": cannot read " + f + ": " + e.getMessage());
            }
        }
        for (var e : SweepStatus.of(script.out(), config.runs(), lockTimeout)) {
            if (e.state() == SweepStatus.State.FAILED) {
                problems.add("run " + e.id() + " failed: " + e.detail());
            } else if (e.state() != SweepStatus.State.DONE) {
                problems.add("run " + e.id() + " is " + e.state().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return problems;
    }

    static void requireOnPath(String tool) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                    return;
                }
            }
        }
        throw new LosslabException(tool + " is not on PATH: Slurm's client commands are needed to submit "
                + "(the script is written; submit it on a cluster login node with 'sbatch')");
    }

    private static String run(List<String> cmd, Duration timeout, String what) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] outBytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new LosslabException(what + " did not answer within " + timeout.toSeconds() + " s");
            }
            String text = new String(outBytes, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new LosslabException(what + " failed (status " + p.exitValue() + "): "
                        + LosslabException.firstLine(text.trim()));
            }
            return text;
        } catch (IOException e) {
            throw new LosslabException("cannot run " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LosslabException("interrupted while running " + what);
        }
    }
}
