package dev.losslab.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * Every registered loss (plus non-default parameter variants), in float64: its value against
 * {@link ReferenceLosses} on fixed batches (binary and 3-class, including one-class batches), and
 * its TF gradient against central finite differences of the graph's own value.
 */
class LossLibraryTest {

    record Batch(String label, int[] labels, double[][] logits, int k) {
    }

    static List<Batch> batches() {
        SplittableRandom r = new SplittableRandom(2024);
        List<Batch> out = new ArrayList<>();
        out.add(batch("binary mixed", new int[] {0, 1, 0, 0, 1, 0, 0, 1}, 2, r));
        out.add(batch("binary one class", new int[] {0, 0, 0, 0, 0}, 2, r));
        out.add(batch("3-class mixed", new int[] {0, 1, 2, 0, 0, 1, 2, 0, 1}, 3, r));
        out.add(batch("3-class one class", new int[] {2, 2, 2, 2}, 3, r));
        return out;
    }

    private static Batch batch(String label, int[] labels, int k, SplittableRandom r) {
        int units = k == 2 ? 1 : k;
        double[][] logits = new double[labels.length][units];
        for (double[] row : logits) {
            for (int c = 0; c < units; c++) {
                row[c] = r.nextGaussian() * 1.5;
            }
        }
        return new Batch(label, labels, logits, k);
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String name : LossRegistry.entries().keySet()) {
            out.add(Arguments.of(name, Map.of()));
        }
        out.add(Arguments.of("heaviside_sigmoid_f1", Map.of("softSet", "masked", "tau", List.of(0.3, 0.5, 0.7))));
        out.add(Arguments.of("heaviside_linear_accuracy", Map.of("tau", 0.35, "delta", 0.2)));
        out.add(Arguments.of("heaviside_linear_auroc", Map.of("softSet", "masked")));
        out.add(Arguments.of("heaviside_sigmoid_fbeta", Map.of("beta", 2.0)));
        out.add(Arguments.of("anyloss_fbeta", Map.of("beta", 0.5, "L", 30.0)));
        out.add(Arguments.of("pairwise_hinge", Map.of("margin", 0.5)));
        out.add(Arguments.of("pairwise_hinge", Map.of("multiclass", "crammer_singer")));
        out.add(Arguments.of("pairwise_hinge", Map.of("multiclass", "crammer_singer", "margin", 0.3)));
        out.add(Arguments.of("focal", Map.of("gamma", 1.0, "alpha", 0.5)));
        // per-class parameters apply to the batches with that many classes only
        out.add(Arguments.of("weighted_crossentropy", Map.of("weights", List.of(0.6, 3.0))));
        out.add(Arguments.of("weighted_crossentropy", Map.of("weights", List.of(0.5, 1.5, 4.0))));
        out.add(Arguments.of("logit_adjusted_crossentropy", Map.of("priors", List.of(0.8, 0.2))));
        out.add(Arguments.of("logit_adjusted_crossentropy", Map.of("priors", List.of(0.7, 0.2, 0.1), "tau", 1.5)));
        // "_counts": training-split class counts handed to the loss (not a parameter)
        out.add(Arguments.of("weighted_crossentropy", Map.of("_counts", List.of(900, 100))));
        out.add(Arguments.of("logit_adjusted_crossentropy", Map.of("_counts", List.of(500, 300, 200))));
        out.add(Arguments.of("class_balanced_crossentropy", Map.of("_counts", List.of(900, 100), "beta", 0.99)));
        out.add(Arguments.of("class_balanced_crossentropy", Map.of("_counts", List.of(5000, 400, 30))));
        out.add(Arguments.of("class_balanced_focal", Map.of("_counts", List.of(900, 100), "beta", 0.99)));
        out.add(Arguments.of("class_balanced_focal", Map.of("_counts", List.of(5000, 400, 30), "gamma", 1.0)));
        out.add(Arguments.of("surrogate_fbeta", Map.of("_counts", List.of(900, 100), "beta", 2.0)));
        out.add(Arguments.of("ldam", Map.of("_counts", List.of(900, 100))));
        out.add(Arguments.of("ldam", Map.of("_counts", List.of(5000, 400, 30), "s", 5.0, "maxMargin", 1.0)));
        out.add(Arguments.of("crossentropy_drw", Map.of("_counts", List.of(5000, 400, 30), "drwEpoch", 20)));
        out.add(Arguments.of("normed_crossentropy", Map.of("_counts", List.of(900, 100), "s", 5.0)));
        out.add(Arguments.of("surrogate_fbeta", Map.of("_counts", List.of(900, 100), "reduction", "class_mean")));
        out.add(Arguments.of("surrogate_fbeta", Map.of("_counts", List.of(600, 300, 100), "reduction", "class_mean")));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void valueMatchesReferenceAndGradientMatchesFiniteDifferences(String name, Map<String, Object> params) {
        Map<String, Object> lossParams = new java.util.HashMap<>(params);
        int[] counts = lossParams.containsKey("_counts")
                ? ((List<?>) lossParams.remove("_counts")).stream().mapToInt(o -> ((Number) o).intValue()).toArray() : null;
        Loss loss = LossRegistry.create(name, lossParams, counts);
        int perClass = params.values().stream().filter(v -> v instanceof List<?> l && l.size() > 1 && !name.startsWith("heaviside"))
                .mapToInt(v -> ((List<?>) v).size()).findFirst().orElse(0);
        for (Batch b : batches()) {
            if (perClass > 0 && b.k() != perClass) {
                continue;
            }
            int n = b.labels().length;
            int units = b.k() == 2 ? 1 : b.k();
            try (Graph g = new Graph(); Session s = new Session(g)) {
                Ops tf = Ops.create(g);
                double[] oneHot = new double[n * b.k()];
                for (int i = 0; i < n; i++) {
                    oneHot[i * b.k() + b.labels()[i]] = 1;
                }
                Operand<TFloat64> y = tf.constant(Shape.of(n, b.k()), DataBuffers.of(oneHot));
                var x = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(n, units)));
                Operand<TFloat64> value = loss.compute(tf, y, x, b.k());
                var grad = tf.gradients(value, List.of(x));
                double[] flat = new double[n * units];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(b.logits()[i], 0, flat, i * units, units);
                }
                double[] analytic = new double[flat.length];
                double v = run(s, x, value, grad.dy(0), flat, analytic);
                double expected = ReferenceLosses.value(name, params, b.labels(), b.logits(), b.k());
                assertTrue(Double.isFinite(v), name + " " + b.label() + ": value " + v);
                assertEquals(expected, v, 1e-9 * Math.max(1, Math.abs(expected)), name + " " + b.label() + ": value");
                double h = 1e-6;
                double[] scratch = new double[flat.length];
                for (int j = 0; j < flat.length; j++) {
                    assertTrue(Double.isFinite(analytic[j]), name + " " + b.label() + ": gradient " + j + " = " + analytic[j]);
                    double[] plus = flat.clone();
                    double[] minus = flat.clone();
                    plus[j] += h;
                    minus[j] -= h;
                    double numeric = (run(s, x, value, grad.dy(0), plus, scratch) - run(s, x, value, grad.dy(0), minus, scratch))
                            / (2 * h);
                    assertEquals(numeric, analytic[j], 1e-6 + 1e-4 * Math.abs(numeric),
                            name + " " + b.label() + ": d loss / d logit " + j);
                }
            }
        }
    }

    private static double run(Session s, Placeholder<TFloat64> x, Operand<TFloat64> value,
                              org.tensorflow.Output<TFloat64> grad, double[] input, double[] gradOut) {
        int n = input.length;
        try (TFloat64 in = TFloat64.tensorOf(x.shape().size(0) < 0 ? Shape.of(n) : Shape.of(x.shape().size(0), x.shape().size(1)),
                DataBuffers.of(input));
             var r = s.runner().feed(x, in).fetch(value).fetch(grad).run()) {
            ((TFloat64) r.get(1)).copyTo(DataBuffers.of(gradOut, false, false));
            return ((TFloat64) r.get(0)).getDouble();
        }
    }

    /** LDAM's deferred re-weighting: fed its class-balanced weights, the float32 training loss is the weighted one. */
    @Test
    void ldamWithDeferredReweightingReadsFedWeights() {
        int[] counts = {5000, 400, 30};
        LdamLoss loss = (LdamLoss) LossRegistry.create("ldam", Map.of("drwEpoch", 3, "s", 5.0), counts);
        assertEquals(3, loss.reweightFromEpoch());
        double[] w = loss.classWeights();
        assertEquals(3.0, w[0] + w[1] + w[2], 1e-9);
        assertTrue(w[2] > w[1] && w[1] > w[0], java.util.Arrays.toString(w));
        Batch b = batches().get(2);
        int n = b.labels().length;
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            float[] oneHot = new float[n * 3];
            float[] x = new float[n * 3];
            for (int i = 0; i < n; i++) {
                oneHot[i * 3 + b.labels()[i]] = 1;
                for (int c = 0; c < 3; c++) {
                    x[i * 3 + c] = (float) b.logits()[i][c];
                }
            }
            var y = tf.constant(Shape.of(n, 3), DataBuffers.of(oneHot, true, false));
            var logits = tf.constant(Shape.of(n, 3), DataBuffers.of(x, true, false));
            var value = loss.compute(tf, y, logits, 3);
            var classWeights = tf.placeholderWithDefault(tf.fill(tf.constant(new int[] {3}), tf.constant(1f)), Shape.of(3));
            var weighted = loss.computeWeighted(tf, y, logits, 3, classWeights);
            Map<String, Object> ref = new java.util.HashMap<>(Map.of("_counts", List.of(5000, 400, 30), "s", 5.0));
            try (var r = s.runner().fetch(value).run()) {
                assertEquals(ReferenceLosses.value("ldam", ref, b.labels(), b.logits(), 3),
                        ((org.tensorflow.types.TFloat32) r.get(0)).getFloat(), 1e-4, "unfed: weights 1");
            }
            ref.put("_weights", List.of(w[0], w[1], w[2]));
            try (var weights = org.tensorflow.types.TFloat32.vectorOf((float) w[0], (float) w[1], (float) w[2]);
                 var r = s.runner().feed(classWeights, weights).fetch(weighted).run()) {
                assertEquals(ReferenceLosses.value("ldam", ref, b.labels(), b.logits(), 3),
                        ((org.tensorflow.types.TFloat32) r.get(0)).getFloat(), 1e-4, "fed: class-balanced weights");
            }
        }
    }

    /** CE-DRW is cross-entropy until its epoch and then takes LDAM-DRW's class-balanced weights; both ablations defer. */
    @Test
    void ceDrwIsCrossEntropyThenClassBalanced() {
        int[] counts = {5000, 400, 30};
        var drw = (LdamLoss) LossRegistry.create("crossentropy_drw", Map.of("drwEpoch", 20), counts);
        var ldam = (LdamLoss) LossRegistry.create("ldam", Map.of("drwEpoch", 20), counts);
        assertEquals(20, drw.reweightFromEpoch());
        assertArrayEquals(ldam.classWeights(), drw.classWeights(), 0, "the same class-balanced weights as LDAM-DRW");
        Batch b = batches().get(2);
        assertEquals(ReferenceLosses.value("crossentropy", Map.of(), b.labels(), b.logits(), 3),
                ReferenceLosses.value("crossentropy_drw", Map.of(), b.labels(), b.logits(), 3), 1e-12);
        var normed = (LdamLoss) LossRegistry.create("normed_crossentropy", Map.of(), counts);
        assertEquals(0, normed.reweightFromEpoch(), "no DRW unless asked");
    }

    @Test
    void classFrequencyLossesDeriveTheirWeightsAndPriorsFromTheTrainingCounts() {
        var w = (WeightedCrossEntropyLoss) LossRegistry.create("weighted_crossentropy", Map.of(), new int[] {900, 100});
        // N / (K n_k): 1000 / (2 * 900), 1000 / (2 * 100)
        assertEquals(1000.0 / 1800, w.weights()[0], 1e-12);
        assertEquals(5.0, w.weights()[1], 1e-12);
        assertEquals(0.9, LogitAdjustedCrossEntropyLoss.priors(null, new int[] {900, 100})[0], 1e-12);
        var e = assertThrows(LosslabException.class,
                () -> LossRegistry.create("weighted_crossentropy", Map.of("weights", List.of(1.0, 2.0)), new int[] {5, 5, 5}));
        assertTrue(e.getMessage().contains("2 values for 3 classes"), e.getMessage());
        e = assertThrows(LosslabException.class,
                () -> LossRegistry.create("logit_adjusted_crossentropy", Map.of("priors", List.of(0.0, 1.0))));
        assertTrue(e.getMessage().contains("priors"), e.getMessage());
    }

    @Test
    void unknownNamesAndBadParametersAreOneLineErrorsListingWhatIsValid() {
        var e = assertThrows(LosslabException.class, () -> LossRegistry.create("softf1", Map.of()));
        assertTrue(e.getMessage().contains("valid: anyloss_accuracy"), e.getMessage());
        e = assertThrows(LosslabException.class, () -> LossRegistry.create("pairwise_hinge", Map.of("gamma", 2)));
        assertEquals("lossParams.gamma: pairwise_hinge has no argument 'gamma'; valid: [margin, multiclass]", e.getMessage(),
                "the one argument check every registry uses");
        e = assertThrows(LosslabException.class, () -> LossRegistry.create("soft_f1", Map.of("beta", 2)));
        assertEquals("lossParams.beta: soft_f1 has no argument 'beta'; valid: none", e.getMessage());
        e = assertThrows(LosslabException.class, () -> LossRegistry.create("heaviside_linear_f1", Map.of("delta", 0.7)));
        assertTrue(e.getMessage().contains("in (0, 0.5)"), e.getMessage());
        e = assertThrows(LosslabException.class, () -> LossRegistry.create("anyloss_gmean", Map.of("L", 200)));
        assertTrue(e.getMessage().contains("[5.5, 91.84]"), e.getMessage());
        e = assertThrows(LosslabException.class, () -> LossRegistry.create("heaviside_sigmoid_f1", Map.of("softSet", "torch")));
        assertTrue(e.getMessage().contains("one of eq3, masked"), e.getMessage());
        e = assertThrows(LosslabException.class, () -> LossRegistry.create("heaviside_sigmoid_f1", Map.of("tau", List.of(0.5, 1.5))));
        assertTrue(e.getMessage().contains("in (0, 1)"), e.getMessage());
    }

    @Test
    void linearHeavisideMatchesEquationFivesDefiningPoints() {
        var h = new HeavisideApproximation.Linear(0.1);
        for (double tau : new double[] {0.2, 0.5, 0.7}) {
            double tm = Math.min(tau, 1 - tau);
            assertEquals(0, h.value(0, tau), 1e-12);
            assertEquals(0.1, h.value(tau - tm / 2, tau), 1e-12);
            assertEquals(0.5, h.value(tau, tau), 1e-12);
            assertEquals(0.9, h.value(tau + tm / 2, tau), 1e-12);
            assertEquals(1, h.value(1, tau), 1e-12);
            // symmetric, so eq. 3's "1 - H" equals the research code's mirrored H(1 - p; 1 - tau)
            assertEquals(1 - h.value(0.37, tau), h.value(1 - 0.37, 1 - tau), 1e-12);
        }
    }
}
