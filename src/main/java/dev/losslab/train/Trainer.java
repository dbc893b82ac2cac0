package dev.losslab.train;

import dev.losslab.metrics.Calibration;
import dev.losslab.data.Images;
import dev.losslab.metrics.Metrics;
import dev.losslab.recipe.Callback;
import dev.losslab.recipe.EarlyStopping;
import dev.losslab.recipe.Recipe;
import dev.losslab.recipe.Sampling;
import dev.losslab.util.ProgressBar;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.IntDataBuffer;
import org.tensorflow.types.TInt32;

/**
 * The training loop, as Keras' {@code fit}: per epoch, the sampler's order of the training set (a seeded shuffle
 * unless the recipe re-samples), steps of {@code batchSize} (the last batch may be smaller) at the optimizer's
 * rate for that step, then validation loss and metrics, then the recipe's callbacks, which may stop training,
 * lower the rate or restore the best epoch's weights at the end. A NaN or infinite batch loss stops training
 * with {@link TrainingDivergedException}.
 */
public final class Trainer {
    private final TrainingOptions options;
    private final PrintStream log;
    private final java.util.function.Consumer<EpochRecord> listener;
    private int stoppedEpoch = -1;
    private int restoredEpoch = -1;
    private int initialEpoch = 0;

    public Trainer(TrainingOptions options, PrintStream log) {
        this(options, log, r -> { });
    }

    /** With {@code listener} told of every finished epoch (TensorBoard logs, progress elsewhere). */
    public Trainer(TrainingOptions options, PrintStream log, java.util.function.Consumer<EpochRecord> listener) {
        this.options = options;
        this.log = log;
        this.listener = listener;
    }

    /**
     * Starts counting after {@code epochs} already trained (Keras' {@code initial_epoch}): the fit runs epochs
     * {@code epochs + 1 .. options.epochs()}, numbered so.
     */
    public Trainer initialEpoch(int epochs) {
        this.initialEpoch = epochs;
        return this;
    }

    /** The options this trainer trains with. */
    public TrainingOptions options() {
        return options;
    }

    /** The 1-based epoch after which early stopping ended training, or -1 when it ran every epoch. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The 1-based epoch whose weights early stopping restored, or -1. */
    public int restoredEpoch() {
        return restoredEpoch;
    }

    /** Trains {@code graph} on {@code train}, validating on {@code validation}; returns the history. */
    public List<EpochRecord> fit(TrainingGraph graph, Images train, Images validation) {
        graph.loadTrainingSet(train);
        Recipe recipe = options.recipe();
        SplittableRandom shuffleRandom = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        Sampling.Sampler sampler = recipe.sampling().sampler(train.labels(), graph.numClasses());
        List<EpochRecord> history = new ArrayList<>();
        int n = train.size();
        int batch = options.batchSize();
        int steps = (n + batch - 1) / batch;
        graph.stepsPerEpoch(steps);
        Control control = new Control(graph);
        List<Callback.Run> callbacks = recipe.callbacks().stream().map(Callback::start).toList();
        for (int epoch = initialEpoch + 1; epoch <= options.epochs() && !control.stop; epoch++) {
            IntDataBuffer order = DataBuffers.of(sampler.order(epoch, shuffleRandom), true, false);
            graph.startEpoch(epoch);
            double lossSum = 0;
            double correct = 0;
            long start = System.nanoTime();
            try (ProgressBar bar = new ProgressBar(log, String.format(Locale.ROOT, "epoch %d/%d", epoch, options.epochs()),
                    n, "samples").plainSummary(false)) {
                for (int s = 0; s < steps; s++) {
                    int from = s * batch;
                    int size = Math.min(batch, n - from);
                    float loss;
                    try (TInt32 idx = TInt32.tensorOf(Shape.of(size), order.slice(from, size))) {
                        loss = graph.step(idx);
                    }
                    if (!Float.isFinite(loss)) {
                        throw new TrainingDivergedException(epoch, s + 1, loss);
                    }
                    lossSum += loss;
                    correct += graph.lastCorrect();
                    double meanLoss = lossSum / (s + 1);
                    bar.suffix(() -> String.format(Locale.ROOT, "loss %.4f", meanLoss));
                    bar.step(size);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochRecord rec = validate(graph, validation, epoch, lossSum / steps, correct / n, n / seconds, seconds);
            history.add(rec);
            listener.accept(rec);
            log.println(String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f, val loss %.4f, val accuracy %.4f, %.0f samples/s",
                    epoch, options.epochs(), rec.trainLoss(), rec.valLoss(), rec.valAccuracy(), rec.samplesPerSecond()));
            var logs = rec.logs();
            for (Callback.Run c : callbacks) {
                c.onEpochEnd(epoch - 1, logs, control);
            }
            if (control.stop) {
                stoppedEpoch = epoch;
                log.println("early stopping after epoch " + epoch);
            }
        }
        for (Callback.Run c : callbacks) {
            c.onTrainEnd(control);
            if (c instanceof EarlyStopping.State es && es.restoredEpoch() >= 0) {
                restoredEpoch = es.restoredEpoch() + 1;
                log.println("restored the weights of epoch " + restoredEpoch + " (best " + ((EarlyStopping) recipe.callbacks()
                        .stream().filter(x -> x instanceof EarlyStopping).findFirst().orElseThrow()).monitor() + ")");
            }
        }
        return history;
    }

    private EpochRecord validate(TrainingGraph graph, Images validation, int epoch, double trainLoss, double trainAccuracy,
                                 double samplesPerSecond, double seconds) {
        int k = graph.numClasses();
        boolean any = validation.size() > 0;
        double valLoss = any ? graph.loss(validation, options.batchSize()) : Double.NaN;
        float[] valP = any ? graph.probabilities(validation, 1024) : null;
        int[] predicted = any ? Metrics.argmax(valP, k) : null;
        int[] y = validation.labels();
        return new EpochRecord(epoch, trainLoss, valLoss, any ? Metrics.accuracy(predicted, y) : Double.NaN, samplesPerSecond,
                seconds, any ? Calibration.ece(valP, y, k) : Double.NaN, trainAccuracy,
                graph.learningRate(), any ? Metrics.balancedAccuracy(predicted, y, k) : Double.NaN,
                any ? Metrics.f1(predicted, y, k) : Double.NaN, any ? Metrics.auc(valP, y, k) : Double.NaN);
    }

    /** What callbacks may do: stop, read and set the rate, keep and restore the weights. */
    private static final class Control implements Callback.Control {
        private final TrainingGraph graph;
        private boolean stop;

        Control(TrainingGraph graph) {
            this.graph = graph;
        }

        @Override
        public void stopTraining() {
            stop = true;
        }

        @Override
        public double learningRate() {
            return graph.learningRate();
        }

        @Override
        public void setLearningRate(double rate) {
            graph.setLearningRate(rate);
        }

        @Override
        public Object weights() {
            return graph.weights();
        }

        @Override
        public void restoreWeights(Object weights) {
            @SuppressWarnings("unchecked")
            List<float[]> w = (List<float[]>) weights;
            graph.restoreWeights(w);
        }
    }
}
