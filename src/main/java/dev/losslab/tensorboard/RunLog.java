package dev.losslab.tensorboard;

import dev.losslab.train.EpochRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's TensorBoard logs in Keras' layout ({@code keras/src/callbacks/tensorboard.py}), under
 * {@code <run>/logs}: {@code train/} gets {@code epoch_loss}, {@code epoch_accuracy} (Keras' running
 * accuracy over the epoch's batches), {@code epoch_learning_rate} and
 * {@code epoch_samples_per_second}, {@code validation/} gets {@code epoch_loss},
 * {@code epoch_accuracy} and {@code epoch_ece}, all at step = epoch; {@code test/} gets the final
 * metrics (tuned and default accuracy, balanced accuracy, AUC, ECE) and two images (the
 * reliability diagram and the tuned rule's confusion matrix); {@code logs/} itself holds the
 * HParams session (start with the run's hyperparameters, end with its status), so a sweep's runs
 * fill TensorBoard's HParams table. Fed by the trainer's epoch listener: training knows nothing of
 * event files. A failure to write is reported once on the log and logging stops; it never stops a run.
 */
public final class RunLog implements AutoCloseable {
    public static final String DIR = "logs";
    private final PrintStream log;
    private final double learningRate;
    private EventWriter session;
    private EventWriter train;
    private EventWriter validation;
    private boolean broken;

    private RunLog(PrintStream log, double learningRate) {
        this.log = log;
        this.learningRate = learningRate;
    }

    /** Opens the logs of the run in {@code runDir} and writes its HParams session start. */
    public static RunLog open(Path runDir, Map<String, Object> hparams, String group, double learningRate, PrintStream log) {
        RunLog r = new RunLog(log, learningRate);
        r.guard(() -> {
            Path dir = runDir.resolve(DIR);
            r.session = new EventWriter(dir);
            r.train = new EventWriter(dir.resolve("train"));
            r.validation = new EventWriter(dir.resolve("validation"));
            r.session.pluginData(HParams.SESSION_START, HParams.PLUGIN,
                    HParams.sessionStart(hparams, group, EventWriter.now()));
        });
        return r;
    }

    /** The epoch's curves. */
    public void epoch(EpochRecord e) {
        guard(() -> {
            train.scalar("epoch_loss", e.epoch(), e.trainLoss());
            train.scalar("epoch_accuracy", e.epoch(), e.trainAccuracy());
            train.scalar("epoch_learning_rate", e.epoch(), e.learningRate() > 0 ? e.learningRate() : learningRate);
            train.scalar("epoch_samples_per_second", e.epoch(), e.samplesPerSecond());
            validation.scalar("epoch_loss", e.epoch(), e.valLoss());
            validation.scalar("epoch_accuracy", e.epoch(), e.valAccuracy());
            validation.scalar("epoch_ece", e.epoch(), e.valEce());
        });
    }

    /** Final test metrics (name to value), the two images, and the session's end. */
    public void finish(Path runDir, long step, Map<String, Double> testMetrics, float[] testP, int[] testY,
                       int[] tunedPredictions, List<String> classNames) {
        guard(() -> {
            try (EventWriter test = new EventWriter(runDir.resolve(DIR).resolve("test"))) {
                for (var m : testMetrics.entrySet()) {
                    test.scalar(m.getKey(), step, m.getValue());
                }
                int k = classNames.size();
                test.image("reliability_diagram", step, DiagnosticImages.reliability(testP, testY, k),
                        DiagnosticImages.SIZE, DiagnosticImages.SIZE, 3);
                test.image("confusion_matrix_tuned", step, DiagnosticImages.confusion(tunedPredictions, testY, classNames),
                        DiagnosticImages.SIZE, DiagnosticImages.SIZE, 3);
            }
            session.pluginData(HParams.SESSION_END, HParams.PLUGIN, HParams.sessionEnd(HParams.STATUS_SUCCESS, EventWriter.now()));
        });
    }

    /** Marks the session failed (a diverged run). */
    public void failed() {
        guard(() -> session.pluginData(HParams.SESSION_END, HParams.PLUGIN,
                HParams.sessionEnd(HParams.STATUS_FAILURE, EventWriter.now())));
    }

    /** The hyperparameters a run is listed by in the HParams table, and whether each is a number. */
    public static final Map<String, Boolean> HPARAMS = hparamTypes();

    private static Map<String, Boolean> hparamTypes() {
        Map<String, Boolean> t = new LinkedHashMap<>();
        for (String n : List.of("loss", "split", "precision", "network", "data", "optimizer", "sampling")) {
            t.put(n, false);
        }
        for (String n : List.of("seed", "epochs", "batch_size", "learning_rate")) {
            t.put(n, true);
        }
        return java.util.Collections.unmodifiableMap(t);
    }

    /** The values of {@link #HPARAMS} for one run. */
    public static Map<String, Object> hparams(String loss, String split, long seed, int epochs, int batch, double lr,
                                              String precision, String network, String data) {
        return hparams(loss, split, seed, epochs, batch, lr, precision, network, data, "Adam", "uniform");
    }

    /** As above with the recipe: the optimizer in a line and the sampler's name. */
    public static Map<String, Object> hparams(String loss, String split, long seed, int epochs, int batch, double lr,
                                              String precision, String network, String data, String optimizer,
                                              String sampling) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("loss", loss);
        h.put("split", split);
        h.put("seed", seed);
        h.put("epochs", epochs);
        h.put("batch_size", batch);
        h.put("learning_rate", lr);
        h.put("precision", precision);
        h.put("network", network);
        h.put("data", data);
        h.put("optimizer", optimizer);
        h.put("sampling", sampling);
        return h;
    }

    interface Step {
        void run() throws IOException;
    }

    private void guard(Step s) {
        if (broken) {
            return;
        }
        try {
            s.run();
        } catch (IOException | RuntimeException e) {
            broken = true;
            log.println("note: TensorBoard logs stopped (" + e.getMessage() + "); the run goes on");
        }
    }

    @Override
    public void close() {
        for (EventWriter w : new EventWriter[] {session, train, validation}) {
            if (w != null) {
                try {
                    w.close();
                } catch (IOException ignored) {
                    // nothing more to write
                }
            }
        }
    }
}
