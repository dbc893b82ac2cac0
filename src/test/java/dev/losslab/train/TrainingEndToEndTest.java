package dev.losslab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.data.DataSpec;
import dev.losslab.data.Images;
import dev.losslab.data.PreparedData;
import dev.losslab.loss.CrossEntropyLoss;
import dev.losslab.loss.Loss;
import dev.losslab.metrics.Metrics;
import dev.losslab.testing.TestData;
import dev.losslab.tune.BinaryThresholdTuner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/** Real Fashion-MNIST, tops (0) vs trousers (1) at 90/10, one epoch: the foundation's acceptance test. */
class TrainingEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void oneEpochReachesNinetyFivePercentAndTheSavedModelReproducesIt() {
        PreparedData sets = PreparedData.prepare(TestData.real(),
                new DataSpec(new int[] {0, 1}, new double[] {0.9, 0.1}, null, 0.2), 1);
        TrainingOptions options = new TrainingOptions(1, 32, 1e-3, 1, Device.CPU, 0);
        try (TrainingGraph graph = new TrainingGraph(2, dev.losslab.network.ModelSpec.NOTEBOOK, new CrossEntropyLoss(), options, sets.train().size())) {
            List<EpochRecord> history = new Trainer(options, TestData.quiet()).fit(graph, sets.train(), sets.validation());
            assertEquals(1, history.size());
            assertTrue(history.get(0).valLoss() < history.get(0).trainLoss() * 2, history.toString());

            float[] valP = graph.probabilities(sets.validation(), 512);
            float[] testP = graph.probabilities(sets.test(), 512);
            var tuned = BinaryThresholdTuner.fit(valP, sets.validation().labels()).rule();
            double defaultAcc = Metrics.accuracy(Metrics.argmax(testP, 2), sets.test().labels());
            double tunedAcc = Metrics.accuracy(tuned.predict(testP), sets.test().labels());
            assertTrue(Math.max(defaultAcc, tunedAcc) > 0.95, "test accuracy " + defaultAcc + " / " + tunedAcc);

            Path model = dir.resolve("model");
            SavedModelExport.export(graph.parameters(), dev.losslab.network.ModelSpec.NOTEBOOK, 2, model);
            assertTrue(Files.isRegularFile(model.resolve("saved_model.pb")));
            try (var reloaded = dev.losslab.inference.SavedModelPredictor.open(model)) {
                assertEquals(2, reloaded.numClasses());
                float[] again = dev.losslab.savedmodel.OutputKind.PROBABILITIES.toProbabilities(
                        reloaded.outputs(sets.test().pixels(), sets.test().size(), 28, 28, 300), sets.test().size(),
                        reloaded.outputUnits());
                assertEquals(testP.length, again.length);
                for (int i = 0; i < testP.length; i++) {
                    assertEquals(testP[i], again[i], 1e-6f, "probability " + i);
                }
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalTraining() {
        Images train = dev.losslab.train.Benchmark.synthetic(256, 3, 3);
        float[][] out = new float[2][];
        for (int run = 0; run < 2; run++) {
            TrainingOptions options = new TrainingOptions(1, 32, 1e-3, 9, Device.CPU, 1);
            try (TrainingGraph g = new TrainingGraph(3, dev.losslab.network.ModelSpec.NOTEBOOK, new CrossEntropyLoss(), options, train.size())) {
                new Trainer(options, TestData.quiet()).fit(g, train, train.subset(new int[0]));
                out[run] = g.probabilities(train, 128);
            }
        }
        assertArrayEquals(out[0], out[1]);
    }

    @Test
    void nanLossStopsTrainingNamingEpochAndStep() {
        Loss poisoned = new Loss() {
            @Override
            public String name() {
                return "nan";
            }

            @Override
            public <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
                Operand<T> ce = new CrossEntropyLoss().compute(tf, labels, logits, numClasses);
                return tf.math.mul(ce, tf.math.log(tf.math.neg(tf.dtypes.cast(tf.constant(1f), ce.type()))));
            }
        };
        Images train = dev.losslab.train.Benchmark.synthetic(64, 2, 3);
        TrainingOptions options = new TrainingOptions(1, 32, 1e-3, 1, Device.CPU, 1);
        try (TrainingGraph g = new TrainingGraph(2, dev.losslab.network.ModelSpec.NOTEBOOK, poisoned, options, train.size())) {
            var e = assertThrows(TrainingDivergedException.class,
                    () -> new Trainer(options, TestData.quiet()).fit(g, train, train));
            assertTrue(e.getMessage().contains("epoch 1, step 1"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
