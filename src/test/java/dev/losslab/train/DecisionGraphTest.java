package dev.losslab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.tune.AbsoluteThresholdRule;
import dev.losslab.tune.ArgmaxRule;
import dev.losslab.tune.BinaryThresholdRule;
import dev.losslab.tune.BinaryThresholdTuner;
import dev.losslab.tune.DecisionRule;
import dev.losslab.tune.DecisionTreeTuner;
import dev.losslab.tune.LogitAdjustmentRule;
import dev.losslab.tune.RelativeThresholdRule;
import dev.losslab.tune.SimplexSearch;
import dev.losslab.tune.TreeRule;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Every rule kind as TensorFlow ops picks, row for row, the class its Java {@code predict} picks: a few thousand
 * rows per rule, random and tuned rules, rows that tie exactly, and rows on, just above and just below every
 * threshold and split value. The exported SavedModel's {@code decide} signature is checked end to end in
 * {@code PredictCommandTest}.
 */
class DecisionGraphTest {
    private static final int ROWS = 3000;

    /** The rule's ops on {@code p}, run by TensorFlow: class ids and names. */
    private static int[] graph(DecisionRule rule, float[] p, List<String> names, String[] namesOut) {
        int k = rule.numClasses();
        int n = p.length / k;
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, k)));
            var ids = DecisionGraph.classIndices(tf, x, rule);
            var labels = DecisionGraph.classNames(tf, ids, names);
            try (TFloat32 in = TFloat32.tensorOf(Shape.of(n, k), DataBuffers.of(p, true, false));
                 var out = s.runner().feed(x, in).fetch(ids).fetch(labels).run()) {
                TInt64 t = (TInt64) out.get(0);
                TString nm = (TString) out.get(1);
                assertEquals(Shape.of(n), t.shape());
                int[] r = new int[n];
                for (int i = 0; i < n; i++) {
                    r[i] = Math.toIntExact(t.getLong(i));
                    if (namesOut != null) {
                        namesOut[i] = nm.getObject(i);
                    }
                }
                return r;
            }
        }
    }

    private static void assertSame(DecisionRule rule, float[] p) {
        int k = rule.numClasses();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            names.add("class " + c + " \u00e9");
        }
        String[] gotNames = new String[p.length / k];
        int[] got = graph(rule, p, names, gotNames);
        int[] want = rule.predict(p);
        assertArrayEquals(want, got, rule.getClass().getSimpleName());
        for (int i = 0; i < want.length; i++) {
            assertEquals(names.get(want[i]), gotNames[i]);
        }
    }

    /** Random probability rows (some saturated), then rows that tie exactly between two or all classes. */
    static float[] rows(int k, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] p = new float[n * k];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            double[] z = new double[k];
            for (int c = 0; c < k; c++) {
                z[c] = Math.exp(rng.nextGaussian() * (i % 5 == 0 ? 6 : 1.5));
                sum += z[c];
            }
            for (int c = 0; c < k; c++) {
                p[i * k + c] = (float) (z[c] / sum);
            }
            if (i % 7 == 0) { // a tie: two classes with the same probability
                int a = rng.nextInt(k);
                int b = (a + 1 + rng.nextInt(k - 1)) % k;
                p[i * k + b] = p[i * k + a];
            }
            if (i % 97 == 0) { // all equal
                java.util.Arrays.fill(p, i * k, (i + 1) * k, 1f / k);
            }
        }
        return p;
    }

    static int[] labels(float[] p, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] y = new int[p.length / k];
        for (int i = 0; i < y.length; i++) {
            // mostly the argmax, sometimes another class, so tuned rules move away from argmax
            y[i] = rng.nextInt(4) == 0 ? rng.nextInt(k) : dev.losslab.metrics.Metrics.argmax(
                    java.util.Arrays.copyOfRange(p, i * k, (i + 1) * k), k)[0];
            if (y[i] == 0 && rng.nextInt(3) == 0) {
                y[i] = k - 1; // the last class under-predicted by argmax
            }
        }
        return y;
    }

    /**
     * Rows whose column {@code c} is the float nearest {@code v}, its neighbours, and v itself where it is a float;
     * values outside [0, 1] and subnormal ones are left out: no probability is negative, and TensorFlow flushes
     * subnormals to zero on CPU, so the probabilities it computes never hold one (the Java rule sees the same zeros).
     */
    static float[] boundaryRows(float[] base, int k, int c, double v) {
        float f = (float) v;
        float[] candidates = {f, Math.nextUp(f), Math.nextDown(f), DecisionGraph.ceilToFloat(v),
                Math.nextDown(DecisionGraph.ceilToFloat(v))};
        float[] values = new float[candidates.length];
        int m = 0;
        for (float x : candidates) {
            if (x >= 0 && x <= 1 && (x == 0 || x >= Float.MIN_NORMAL)) {
                values[m++] = x;
            }
        }
        values = java.util.Arrays.copyOf(values, m);
        float[] out = new float[values.length * k];
        for (int j = 0; j < values.length; j++) {
            System.arraycopy(base, (j % (base.length / k)) * k, out, j * k, k);
            out[j * k + c] = values[j];
        }
        return out;
    }

    static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void ceilToFloatIsTheSmallestFloatNotBelow() {
        for (double t : new double[] {0.5, 0.1, 0.3, 1.0 / 3, 0.999999999, 1e-9, 0, 1}) {
            float f = DecisionGraph.ceilToFloat(t);
            assertTrue(f >= t && Math.nextDown(f) < t, t + " -> " + f);
        }
    }

    @Test
    void binaryRulesIncludingEveryBoundary() {
        float[] p = rows(2, ROWS, 1);
        int[] y = labels(p, 2, 2);
        List<DecisionRule> rules = List.of(new ArgmaxRule(2), new BinaryThresholdRule(0.5), new BinaryThresholdRule(0.1),
                new BinaryThresholdRule(1.0 / 3), new BinaryThresholdRule(0), new BinaryThresholdRule(1),
                BinaryThresholdTuner.fit(p, y, dev.losslab.metrics.Objective.ACCURACY).rule());
        for (DecisionRule r : rules) {
            double t = r instanceof BinaryThresholdRule b ? b.threshold() : 0.5;
            assertSame(r, concat(p, boundaryRows(p, 2, 1, t)));
        }
    }

    @Test
    void absoluteAndRelativeThresholdsIncludingTies() {
        for (int k : new int[] {3, 10}) {
            float[] p = rows(k, ROWS, k);
            int[] y = labels(p, k, k + 1);
            var opts = SimplexSearch.Options.defaultsFor(k, 3);
            double[] abs = new SimplexSearch(p, y, k, false, dev.losslab.metrics.Objective.ACCURACY).search(opts).thresholds();
            double[] rel = new SimplexSearch(p, y, k, true, dev.losslab.metrics.Objective.ACCURACY).search(opts).thresholds();
            double[] equal = new double[k];
            java.util.Arrays.fill(equal, 1.0 / k);
            for (DecisionRule r : List.of(new ArgmaxRule(k), new AbsoluteThresholdRule(abs), new RelativeThresholdRule(rel),
                    new AbsoluteThresholdRule(equal), new RelativeThresholdRule(equal))) {
                assertSame(r, p);
            }
            // ties created by the thresholds: p_a - t_a == p_b - t_b exactly
            float[] tied = new float[ROWS / 10 * k];
            double[] t = new double[k];
            for (int c = 0; c < k; c++) {
                t[c] = c * 0.125;
            }
            for (int i = 0; i < ROWS / 10; i++) {
                for (int c = 0; c < k; c++) {
                    tied[i * k + c] = (float) (0.25 + t[c] - (i % k == c ? 0 : 0.0625 * ((i + c) % 3)));
                }
            }
            assertSame(new AbsoluteThresholdRule(t), tied);
        }
    }

    @Test
    void logitAdjustment() {
        for (int k : new int[] {2, 3, 10}) {
            float[] p = rows(k, ROWS, 10 + k);
            int[] y = labels(p, k, 20 + k);
            LogitAdjustmentRule fitted = LogitAdjustmentRule.fit(p, y, k);
            double[] priors = new double[k];
            for (int c = 0; c < k; c++) {
                priors[c] = Math.pow(0.5, c + 1);
            }
            for (DecisionRule r : List.of(fitted, new LogitAdjustmentRule(priors, 1.0), new LogitAdjustmentRule(priors, 0))) {
                float[] withZeros = concat(p, new float[k * 3]); // rows of zeros: the 1e-30 floor decides
                assertSame(r, withZeros);
            }
        }
    }

    @Test
    void treesOnEverySplitValue() {
        for (int k : new int[] {2, 3, 10}) {
            float[] p = rows(k, ROWS, 30 + k);
            int[] y = labels(p, k, 40 + k);
            List<TreeRule> trees = List.of(
                    DecisionTreeTuner.fit(p, y, k, new DecisionTreeTuner.Options(6, 64, 1, 1)),
                    DecisionTreeTuner.fit(p, y, k, DecisionTreeTuner.Options.crossValidated(5)),
                    new TreeRule(k, 2, 4, 5, List.of(new TreeRule.Node(-1, 0, -1, -1, k - 1))));
            for (TreeRule tree : trees) {
                float[] q = p;
                for (TreeRule.Node node : tree.nodes()) {
                    if (node.feature() >= 0) {
                        q = concat(q, boundaryRows(p, k, node.feature(), node.threshold()));
                    }
                }
                assertSame(tree, q);
            }
            assertTrue(trees.get(0).nodes().size() > 15, "a real tree: " + trees.get(0).nodes().size());
        }
    }
}
