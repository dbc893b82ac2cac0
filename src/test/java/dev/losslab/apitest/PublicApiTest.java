package dev.losslab.apitest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.api.ImbalanceLosses;
import dev.losslab.api.SavedModelClassifier;
import dev.losslab.api.ThresholdTuning;
import dev.losslab.loss.Loss;
import dev.losslab.tune.DecisionRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * losslab used as a library, through {@code dev.losslab.api} only (plus TF-Java itself), as
 * {@code docs/java-api.md} shows: a loss in the user's own graph with its gradient, thresholds tuned
 * on plain probabilities, and a user's SavedModel served.
 */
class PublicApiTest {
    @TempDir
    Path dir;

    @Test
    void aLossInYourOwnGraphWithItsGradient() {
        assertTrue(ImbalanceLosses.names().containsAll(List.of("crossentropy", "focal", "soft_f1", "ldam")));
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var logits = tf.variable(tf.constant(new double[][] {{2.0, -1.0, 0.5}, {0.1, 0.2, 3.0}}));
            var labels = tf.constant(new double[][] {{1, 0, 0}, {0, 1, 0}});
            Loss ce = ImbalanceLosses.create("crossentropy");
            Loss focal = ImbalanceLosses.create("focal", Map.of("gamma", 2.0), new int[] {100, 10, 1});
            var ceValue = ce.compute(tf, labels, logits, 3);
            var focalValue = focal.compute(tf, labels, logits, 3);
            var grad = tf.gradients(focalValue, List.of(logits));
            s.initialize();
            try (var r = s.runner().fetch(ceValue).fetch(focalValue).fetch(grad.dy(0)).run()) {
                double expected = (-Math.log(softmax(new double[] {2.0, -1.0, 0.5})[0])
                        - Math.log(softmax(new double[] {0.1, 0.2, 3.0})[1])) / 2;
                assertEquals(expected, ((TFloat64) r.get(0)).getDouble(), 1e-12);
                double f = ((TFloat64) r.get(1)).getDouble();
                assertTrue(f > 0 && f < expected, "focal down-weights the easy example: " + f);
                assertTrue(Math.abs(((TFloat64) r.get(2)).getDouble(1, 2)) > 0, "a gradient flows to the logits");
            }
        }
    }

    private static double[] softmax(double[] z) {
        double m = Math.max(z[0], Math.max(z[1], z[2]));
        double s = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - m);
            s += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= s;
        }
        return e;
    }

    @Test
    void thresholdsTunedOnPlainProbabilities() {
        // a miscalibrated binary model: the positive class's probability is squeezed below 0.5
        SplittableRandom r = new SplittableRandom(3);
        int n = 2000;
        double[][] p = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10 == 0 ? 1 : 0;
            double q = y[i] == 1 ? 0.25 + 0.2 * r.nextDouble() : 0.2 * r.nextDouble();
            p[i] = new double[] {1 - q, q};
        }
        DecisionRule rule = ThresholdTuning.fit(p, y);
        int[] tuned = ThresholdTuning.predict(rule, p);
        int right = 0;
        for (int i = 0; i < n; i++) {
            right += tuned[i] == y[i] ? 1 : 0;
        }
        assertEquals(n, right, "a threshold between 0.2 and 0.25 separates them");
        String json = ThresholdTuning.toJson(rule);
        assertTrue(json.replace(" ", "").contains("\"method\":\"grid\""), json);
        assertArrayEquals(tuned, ThresholdTuning.predict(ThresholdTuning.fromJson(json), p));
    }

    @Test
    void anySavedModelServed() throws java.io.IOException {
        Path model = dir.resolve("model");
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var images = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2, 2, 1)));
            var flat = tf.reshape(images, tf.constant(new int[] {-1, 4}));
            var logits = tf.linalg.matMul(flat, tf.constant(new float[][] {{1, -1}, {0, 0}, {0, 0}, {-1, 1}}));
            var out = tf.withName("y").nn.softmax(logits);
            try (Session s = new Session(g)) {
                SavedModelBundle.exporter(model.toString()).withSession(s).withSignature(Signature.builder()
                        .key("serving_default").input("x", images).output("y", out).build()).export();
            }
        }
        try (SavedModelClassifier c = SavedModelClassifier.open(model)) {
            assertEquals(2, c.numClasses());
            assertArrayEquals(new int[] {2, 2, 1}, c.inputShape());
            double[][] p = c.probabilities(new float[] {1, 0, 0, 0, 0, 0, 0, 1}, 2);
            assertEquals(1 / (1 + Math.exp(-2)), p[0][0], 1e-6);
            assertEquals(1 / (1 + Math.exp(-2)), p[1][1], 1e-6);
            assertTrue(c.classNames().isEmpty());
        }
    }
}
