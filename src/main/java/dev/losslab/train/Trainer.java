package dev.losslab.train;

import dev.losslab.data.Images;
import dev.losslab.data.Shuffle;
import dev.losslab.metrics.Metrics;
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
 * The training loop: per epoch, a seeded shuffle of the training set, steps of {@code batchSize}
 * (the last batch may be smaller, as in Keras), then validation loss and accuracy. A NaN or
 * infinite batch loss stops training with {@link TrainingDivergedException}.
 */
public final class Trainer {
    private final TrainingOptions options;
    private final PrintStream log;

    private final java.util.function.Consumer<EpochRecord> listener;

    public Trainer(TrainingOptions options, PrintStream log) {
        this(options, log, r -> { });
    }

    /** With {@code listener} told of every finished epoch (TensorBoard logs, progress elsewhere). */
    public Trainer(TrainingOptions options, PrintStream log, java.util.function.Consumer<EpochRecord> listener) {
        this.options = options;
        this.log = log;
        this.listener = listener;
    }

    /** Trains {@code graph} on {@code train}, validating on {@code validation}; returns the history. */
    public List<EpochRecord> fit(TrainingGraph graph, Images train, Images validation) {
        graph.loadTrainingSet(train);
        SplittableRandom shuffleRandom = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        List<EpochRecord> history = new ArrayList<>();
        int n = train.size();
        int batch = options.batchSize();
        int steps = (n + batch - 1) / batch;
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            IntDataBuffer order = DataBuffers.of(Shuffle.permutation(n, shuffleRandom), true, false);
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
            double valLoss = validation.size() > 0 ? graph.loss(validation, batch) : Double.NaN;
            float[] valP = validation.size() > 0 ? graph.probabilities(validation, 1024) : null;
            double valAcc = valP != null
                    ? Metrics.accuracy(Metrics.argmax(valP, graph.numClasses()), validation.labels())
                    : Double.NaN;
            double valEce = valP != null ? dev.losslab.metrics.Calibration.ece(valP, validation.labels(), graph.numClasses())
                    : Double.NaN;
            EpochRecord rec = new EpochRecord(epoch, lossSum / steps, valLoss, valAcc, n / seconds, seconds, valEce,
                    correct / n);
            history.add(rec);
            listener.accept(rec);
            log.println(String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f, val loss %.4f, val accuracy %.4f, %.0f samples/s",
                    epoch, options.epochs(), rec.trainLoss(), rec.valLoss(), rec.valAccuracy(), rec.samplesPerSecond()));
        }
        return history;
    }
}
