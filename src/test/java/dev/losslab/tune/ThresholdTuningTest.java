package dev.losslab.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import dev.losslab.metrics.Metrics;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThresholdTuningTest {

    /** Random, imperfect classifier outputs: the true class gets a boost, then a softmax-like normalisation. */
    static float[] probabilities(int n, int k, int[] labels, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[n * k];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10) < 6 ? 0 : 1 + r.nextInt(k - 1);
            double sum = 0;
            double[] e = new double[k];
            for (int c = 0; c < k; c++) {
                e[c] = Math.exp(r.nextGaussian() + (c == labels[i] ? 1.2 : 0) + (c == 0 ? 0.5 : 0));
                sum += e[c];
            }
            for (int c = 0; c < k; c++) {
                p[i * k + c] = (float) (e[c] / sum);
            }
        }
        return p;
    }

    @Test
    void notebooksWorkedExample() {
        float[] p = {0.4f, 0f, 0.7f};
        double[] t = {0.25, 0.25, 0.5};
        assertEquals(2, new AbsoluteThresholdRule(t).predict(p)[0], "absolute picks class C");
        assertEquals(0, new RelativeThresholdRule(t).predict(p)[0], "relative picks class A");
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void exhaustiveAgreesWithBruteForceOverTheSameGrid(int k) {
        int n = 400;
        int[] y = new int[n];
        float[] p = probabilities(n, k, y, 17 + k);
        double step = k == 3 ? 0.05 : 0.1;
        for (boolean relative : new boolean[] {false, true}) {
            // brute force written independently: nested loops over multiples of step, direct argmax
            int m = (int) Math.round(1 / step);
            double best = -1;
            for (int[] parts : compositions(m, k)) {
                double[] t = new double[k];
                for (int c = 0; c < k; c++) {
                    t[c] = parts[c] * step;
                }
                int hit = 0;
                for (int i = 0; i < n; i++) {
                    int arg = 0;
                    double bs = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < k; c++) {
                        double s = relative ? p[i * k + c] / t[c] : p[i * k + c] - t[c];
                        if (s > bs) {
                            bs = s;
                            arg = c;
                        }
                    }
                    hit += arg == y[i] ? 1 : 0;
                }
                best = Math.max(best, (double) hit / n);
            }
            var search = new SimplexSearch(p, y, k, relative);
            var result = search.search(new SimplexSearch.Options(SimplexSearch.Strategy.EXHAUSTIVE, step, 1, 1));
            assertEquals(best, result.accuracy(), 1e-12, (relative ? "relative" : "absolute") + " K=" + k);
            assertEquals(compositions(m, k).size(), result.candidates());
            assertEquals(result.accuracy(), search.accuracy(result.thresholds()), 1e-12);
        }
    }

    private static List<int[]> compositions(int total, int k) {
        List<int[]> out = new java.util.ArrayList<>();
        if (k == 1) {
            out.add(new int[] {total});
            return out;
        }
        for (int first = 1; first <= total - (k - 1); first++) {
            for (int[] rest : compositions(total - first, k - 1)) {
                int[] c = new int[k];
                c[0] = first;
                System.arraycopy(rest, 0, c, 1, k - 1);
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void exhaustiveForThreeClassesAtStepOneHundredthScoresTheNotebooksGrid() {
        int[] y = new int[300];
        float[] p = probabilities(300, 3, y, 5);
        var r = new SimplexSearch(p, y, 3, false).search(new SimplexSearch.Options(SimplexSearch.Strategy.EXHAUSTIVE, 0.01, 1, 1));
        assertEquals(4851, r.candidates());
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 10})
    void refineNeverEndsBelowRandomAndIsDeterministic(int k) {
        int n = 3000;
        int[] y = new int[n];
        float[] p = probabilities(n, k, y, 99);
        for (boolean relative : new boolean[] {false, true}) {
            var s = new SimplexSearch(p, y, k, relative);
            var random = s.search(new SimplexSearch.Options(SimplexSearch.Strategy.RANDOM, 0.01, 500, 7));
            var refine = s.search(new SimplexSearch.Options(SimplexSearch.Strategy.REFINE, 0.01, 500, 7));
            var again = s.search(new SimplexSearch.Options(SimplexSearch.Strategy.REFINE, 0.01, 500, 7));
            assertTrue(refine.accuracy() >= random.accuracy(), refine.accuracy() + " < " + random.accuracy());
            assertArrayEquals(refine.thresholds(), again.thresholds());
            var otherSeed = s.search(new SimplexSearch.Options(SimplexSearch.Strategy.RANDOM, 0.01, 500, 8));
            assertTrue(otherSeed.accuracy() > 0);
            for (double t : refine.thresholds()) {
                assertTrue(t >= 0.01 - 1e-9, "threshold " + t + " below the step");
            }
            assertEquals(1.0, java.util.Arrays.stream(refine.thresholds()).sum(), 1e-9);
        }
    }

    @Test
    void tooLargeAGridIsRefusedWithAHint() {
        int[] y = new int[10];
        float[] p = probabilities(10, 10, y, 1);
        var e = assertThrows(LosslabException.class, () -> new SimplexSearch(p, y, 10, false)
                .search(new SimplexSearch.Options(SimplexSearch.Strategy.EXHAUSTIVE, 0.01, 1, 1)));
        assertTrue(e.getMessage().contains("use --search random or refine"), e.getMessage());
    }

    /** Class 2 is recognisable only by a middling p2 (0.3..0.45) while p0 is larger: argmax never predicts it. */
    @Test
    void treeBeatsArgmaxWhereAClassNeedsANonArgmaxRuleAndSurvivesJson() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        int n = 900;
        float[] p = new float[n * 3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            double p2 = y[i] == 2 ? 0.3 + 0.15 * r.nextDouble() : 0.1 * r.nextDouble();
            double p1 = y[i] == 1 ? 0.6 + 0.3 * r.nextDouble() - p2 / 2 : 0.05 * r.nextDouble();
            p1 = Math.min(p1, 1 - p2);
            double p0 = 1 - p1 - p2;
            p[3 * i] = (float) p0;
            p[3 * i + 1] = (float) p1;
            p[3 * i + 2] = (float) p2;
        }
        TreeRule tree = DecisionTreeTuner.fit(p, y, 3, DecisionTreeTuner.Options.crossValidated(1));
        double treeAcc = Metrics.accuracy(tree.predict(p), y);
        double argmaxAcc = Metrics.accuracy(new ArgmaxRule(3).predict(p), y);
        assertTrue(treeAcc > argmaxAcc + 0.2, "tree " + treeAcc + " vs argmax " + argmaxAcc);

        ObjectMapper json = new ObjectMapper();
        DecisionRule back = json.readValue(json.writeValueAsString(tree), DecisionRule.class);
        assertTrue(back instanceof TreeRule);
        float[] fresh = ThresholdTuningTest.probabilities(500, 3, new int[500], 12);
        assertArrayEquals(tree.predict(fresh), back.predict(fresh));
        assertArrayEquals(tree.predict(p), back.predict(p));
    }

    @Test
    void thresholdRulesRoundTripThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        float[] fresh = probabilities(200, 4, new int[200], 3);
        for (DecisionRule rule : List.of(new AbsoluteThresholdRule(new double[] {0.1, 0.2, 0.3, 0.4}),
                new RelativeThresholdRule(new double[] {0.4, 0.3, 0.2, 0.1}))) {
            DecisionRule back = json.readValue(json.writeValueAsString(rule), DecisionRule.class);
            assertEquals(rule.getClass(), back.getClass());
            assertArrayEquals(rule.predict(fresh), back.predict(fresh));
        }
    }

    @Test
    void allChoosesOnValidationOnlyAndPrefersTheSimplestOnTies() {
        int n = 600;
        int[] y = new int[n];
        float[] p = probabilities(n, 3, y, 8);
        int[] ty = new int[n];
        float[] tp = probabilities(n, 3, ty, 9);
        var report = Tuner.tune(p, y, tp, ty, 3, Tuner.Settings.all(3, 1));
        assertEquals(List.of(TuningMethod.ARGMAX, TuningMethod.LOGIT_ADJUSTMENT, TuningMethod.TREE, TuningMethod.ABSOLUTE,
                        TuningMethod.RELATIVE),
                report.methods().stream().map(Tuner.MethodResult::method).toList());
        double bestVal = report.methods().stream().mapToDouble(Tuner.MethodResult::validationAccuracy).max().orElseThrow();
        assertEquals(bestVal, report.chosenResult().validationAccuracy());
        TuningMethod firstBest = report.methods().stream().filter(m -> m.validationAccuracy() == bestVal).findFirst()
                .orElseThrow().method();
        assertEquals(firstBest, report.chosen());
        // identical probabilities everywhere: every method ties with argmax, which must win
        float[] flat = new float[30];
        java.util.Arrays.fill(flat, 1f / 3);
        var tie = Tuner.tune(flat, new int[10], null, null, 3, Tuner.Settings.all(3, 1));
        assertEquals(TuningMethod.ARGMAX, tie.chosen());
    }
}
