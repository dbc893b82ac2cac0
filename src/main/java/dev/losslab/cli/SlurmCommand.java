package dev.losslab.cli;

import dev.losslab.train.Device;
import dev.losslab.LosslabException;
import dev.losslab.experiment.ExperimentConfig;
import dev.losslab.experiment.sweep.RunLock;
import dev.losslab.slurm.SlurmArrayScript;
import dev.losslab.slurm.SlurmJobArray;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "slurm", mixinStandardHelpOptions = true,
        description = "Write a Slurm job-array script for a sweep under --out/slurm/ (task i runs shard i/N of the sweep "
                + "with --resume, one intra-op thread per run and --jobs = its CPUs); --submit submits it with sbatch, "
                + "--wait waits for the array and fails naming every task or run that did not finish.")
public final class SlurmCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "sweep config, e.g. configs/binary.json")
    Path config;

    @Option(names = "--out", required = true, description = "output folder, on a file system every node shares")
    Path out;

    @Option(names = "--tasks", required = true, description = "array tasks (shards), e.g. 8")
    int tasks;

    @Option(names = "--cpus-per-task", defaultValue = "1", description = "CPUs per task = runs at a time in it (default: ${DEFAULT-VALUE})")
    int cpusPerTask;

    @Option(names = "--partition", description = "Slurm partition (default: the cluster's)")
    String partition;

    @Option(names = "--time", description = "wall-time limit per task, e.g. 02:00:00")
    String time;

    @Option(names = "--data-dir", description = "Fashion-MNIST folder as the nodes see it, when the config has no data block (default: their "
            + "$LOSSLAB_DATA etc.)")
    Path dataDir;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--submit", description = "submit the script with sbatch and print the job id")
    boolean submit;

    @Option(names = "--wait", description = "with --submit: wait until the array ends; exit 1 naming failed tasks and runs")
    boolean waitForIt;

    @Option(names = "--poll", defaultValue = "5", description = "seconds between squeue polls with --wait (default: ${DEFAULT-VALUE})")
    int pollSeconds;

    @Option(names = "--no-tensorboard", description = "the tasks write no TensorBoard logs (as experiment --no-tensorboard)")
    boolean noTensorboard;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExperimentConfig c = ExperimentConfig.load(config);
        if (waitForIt && !submit) {
            throw new LosslabException("--wait needs --submit");
        }
        if (pollSeconds < 1) {
            throw new LosslabException("--poll must be >= 1 second, got " + pollSeconds);
        }
        Device.parse(device);
        // the tasks export the oneDNN setting this process runs with: the config's "onednn" key, if any, decides it
        var rerun = OneDnnChoice.apply(OneDnnChoice.wanted(null, config), Main.currentArgs(), spec.commandLine().getOut(),
                spec.commandLine().getErr());
        if (rerun.isPresent()) {
            return rerun.getAsInt();
        }
        var script = new SlurmArrayScript(config, out, c.name(), tasks, cpusPerTask, partition, time, dataDir, device,
                !noTensorboard);
        var array = new SlurmJobArray(script, System.err);
        var w = spec.commandLine().getOut();
        Path file = array.write(); // written even when sbatch is missing, for submission elsewhere
        w.println("wrote " + file + " (" + tasks + " tasks x " + cpusPerTask + " CPUs, " + c.runs().size() + " runs)");
        w.flush();
        if (!submit) {
            return 0;
        }
        String id = array.submit();
        w.println(id);
        w.flush();
        if (!waitForIt) {
            return 0;
        }
        array.waitFor(id, Duration.ofSeconds(pollSeconds));
        List<String> problems = array.problems(c, RunLock.DEFAULT_TIMEOUT);
        if (problems.isEmpty()) {
            w.println("job " + id + ": all " + tasks + " tasks and " + c.runs().size() + " runs finished");
            w.flush();
            return 0;
        }
        for (String p : problems) {
            System.err.println("losslab: " + p);
        }
        System.err.println("losslab: job " + id + ": " + problems.size() + " problem(s); resubmit to finish the sweep "
                + "(finished runs are kept)");
        return 1;
    }
}
