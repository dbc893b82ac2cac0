package dev.losslab.slurm;

import dev.losslab.train.OneDnn;
import dev.losslab.LosslabException;
import dev.losslab.util.JavaLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Slurm job-array script for a sweep: task i of N runs {@code experiment --shard i/N --resume}
 * on the shared output folder, with one intra-op thread per run and {@code --jobs} set to the
 * task's CPUs, so every run's numbers are those of a serial run of the same config. Each task writes
 * its log to {@code OUT/slurm/task-<i>.log} and its exit status to {@code OUT/slurm/task-<i>.exit}
 * (Slurm's accounting, {@code sacct}, is often unavailable).
 *
 * @param partition null for the cluster's default
 * @param time wall-time limit as Slurm reads it (e.g. 01:30:00, 2-00:00:00), or null
 * @param tensorboard whether the tasks write TensorBoard logs (false: {@code --no-tensorboard})
 */
public record SlurmArrayScript(Path config, Path out, String sweepName, int tasks, int cpusPerTask, String partition,
                               String time, Path dataDir, String device, boolean tensorboard) {
    public SlurmArrayScript(Path config, Path out, String sweepName, int tasks, int cpusPerTask, String partition,
                            String time, Path dataDir, String device) {
        this(config, out, sweepName, tasks, cpusPerTask, partition, time, dataDir, device, true);
    }

    private static final Pattern TIME = Pattern.compile("(\\d+-)?\\d{1,2}(:\\d{2}){0,2}|\\d+");
    private static final Pattern PARTITION = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public SlurmArrayScript {
        if (tasks < 1 || tasks > 10_000) {
            throw new LosslabException("--tasks must be in 1..10000, got " + tasks);
        }
        if (cpusPerTask < 1 || cpusPerTask > 1024) {
            throw new LosslabException("--cpus-per-task must be in 1..1024, got " + cpusPerTask);
        }
        if (partition != null && !PARTITION.matcher(partition).matches()) {
            throw new LosslabException("--partition '" + partition + "': letters, digits, '_', '.', '-' only");
        }
        if (time != null && !TIME.matcher(time).matches()) {
            throw new LosslabException("--time '" + time + "': expected HH:MM:SS, MM:SS, minutes or D-HH:MM:SS");
        }
    }

    public Path slurmDir() {
        return out.resolve("slurm");
    }

    public Path scriptFile() {
        return slurmDir().resolve("sweep.sbatch");
    }

    public Path exitFile(int task) {
        return slurmDir().resolve("task-" + task + ".exit");
    }

    public Path logFile(int task) {
        return slurmDir().resolve("task-" + task + ".log");
    }

    /** The script's text. */
    public String render() {
        Path absOut = out.toAbsolutePath().normalize();
        Path dir = absOut.resolve("slurm");
        StringBuilder sb = new StringBuilder("#!/bin/bash\n");
        sb.append("#SBATCH --job-name=").append(quoteIfNeeded("losslab-" + sweepName)).append('\n');
        sb.append("#SBATCH --array=0-").append(tasks - 1).append('\n');
        sb.append("#SBATCH --ntasks=1\n");
        sb.append("#SBATCH --cpus-per-task=").append(cpusPerTask).append('\n');
        sb.append("#SBATCH --output=").append(dir).append("/task-%a.log\n");
        if (partition != null) {
            sb.append("#SBATCH --partition=").append(partition).append('\n');
        }
        if (time != null) {
            sb.append("#SBATCH --time=").append(time).append('\n');
        }
        sb.append("# Written by 'losslab slurm': task i of ").append(tasks).append(" runs shard i/").append(tasks)
                .append(" of the sweep; finished runs are skipped (--resume),\n")
                .append("# so resubmitting this script finishes an interrupted sweep.\n");
        sb.append("set -u\n");
        sb.append("export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}\n");
        // each TF session its own intra-op pool, so --threads holds (as tools/losslab sets it)
        sb.append("export TF_OVERRIDE_GLOBAL_THREADPOOL=${TF_OVERRIDE_GLOBAL_THREADPOOL:-1}\n");
        // the oneDNN choice the submitting process ran with (tools/losslab --onednn), for every task
        sb.append("export ").append(OneDnn.ENV).append('=')
                .append(OneDnn.state().startsWith("on") ? "1" : "0").append('\n');
        sb.append("cd ").append(shellQuote(Path.of("").toAbsolutePath().toString())).append(" || exit 1\n");
        List<String> cmd = new ArrayList<>(JavaLauncher.portableCommand());
        cmd.addAll(List.of("experiment", "--config", config.toAbsolutePath().normalize().toString(), "--out",
                absOut.toString(), "--resume", "--threads", "1", "--jobs", String.valueOf(cpusPerTask), "--device", device));
        if (dataDir != null) {
            cmd.addAll(List.of("--data-dir", dataDir.toAbsolutePath().normalize().toString()));
        }
        if (!tensorboard) {
            cmd.add("--no-tensorboard");
        }
        StringBuilder line = new StringBuilder();
        for (String a : cmd) {
            line.append(shellQuote(a)).append(' ');
        }
        line.append("--shard \"${SLURM_ARRAY_TASK_ID}/").append(tasks).append('"');
        sb.append(line).append('\n');
        sb.append("status=$?\n");
        sb.append("echo \"$status\" > ").append(shellQuote(dir.toString())).append("/task-\"${SLURM_ARRAY_TASK_ID}\".exit\n");
        sb.append("exit \"$status\"\n");
        return sb.toString();
    }

    /** Single-quotes {@code s} for bash ('it''s' style escaping of embedded quotes). */
    static String shellQuote(String s) {
        if (s.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String quoteIfNeeded(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
