package dev.losslab.tensorboard;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A sweep's HParams experiment, written once into the sweep's folder: the hyperparameters its runs
 * are listed by and the metrics the HParams table shows (the test metrics each run logs under
 * {@code logs/test} and the last validation loss, accuracy and ECE), so {@code tensorboard --logdir
 * <sweep>} opens with the table's columns in place.
 */
public final class SweepLog {
    public static final List<String[]> METRICS = List.of(new String[] {"test", "tuned_accuracy"},
            new String[] {"test", "default_accuracy"}, new String[] {"test", "balanced_accuracy"},
            new String[] {"test", "auc"}, new String[] {"test", "ece"}, new String[] {"validation", "epoch_loss"},
            new String[] {"validation", "epoch_accuracy"}, new String[] {"validation", "epoch_ece"});

    private SweepLog() {
    }

    /** Writes the experiment into {@code sweepDir} unless an event file is already there. */
    public static void writeExperiment(Path sweepDir, PrintStream log) {
        try {
            Files.createDirectories(sweepDir);
            try (Stream<Path> s = Files.list(sweepDir)) {
                if (s.anyMatch(p -> p.getFileName().toString().contains("tfevents"))) {
                    return;
                }
            }
            try (EventWriter w = new EventWriter(sweepDir)) {
                w.pluginData(HParams.EXPERIMENT, HParams.PLUGIN, HParams.experiment(RunLog.HPARAMS, METRICS));
            }
        } catch (IOException e) {
            log.println("note: cannot write the sweep's TensorBoard experiment in " + sweepDir + " (" + e.getMessage() + ")");
        }
    }
}
