package dev.losslab.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import dev.losslab.metrics.Metrics;
import dev.losslab.metrics.Objective;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every tuning method and search maximises the objective it is given: checked against brute force. */
class ObjectiveTuningTest {
    static final List<Objective> OBJECTIVES = List.of(Objective.BALANCED_ACCURACY, Objective.MACRO_F1,
            Objective.parse("cost", new double[][] {{0, 1, 1}, {4, 0, 1}, {9, 2, 0}}, 3));

    /** Imbalanced, noisy class probabilities [n, k]. */
    static float[] probabilities(int n, int k, int[] y, long seed, double[] share) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[n * k];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            int c = 0;
            double acc = share[0];
            while (u > acc && c < k - 1) {
                c++;
                acc += share[c];
            }
            y[i] = c;
            double sum = 0;
            double[] z = new double[k];
            for (int j = 0; j < k; j++) {
                z[j] = Math.exp((j == c ? 1.0 : 0) + 0.9 * r.nextGaussian() + Math.log(share[j]));
                sum += z[j];
            }
            for (int j = 0; j < k; j++) {
                p[i * k + j] = (float) (z[j] / sum);
            }
        }
        return p;
    }

    @Test
    void objectivesScoreConfusionMatricesAsDefined() {
        long[][] m = {{50, 10}, {5, 35}}; // [true][predicted]
        assertEquals(0.85, Objective.ACCURACY.score(m), 1e-12);
        assertEquals((50.0 / 60 + 35.0 / 40) / 2, Objective.BALANCED_ACCURACY.score(m), 1e-12);
        assertEquals(2.0 * 35 / (70 + 10 + 5), Objective.MACRO_F1.score(m), 1e-12); // binary: F1 of class 1
        Objective cost = Objective.parse("cost", new double[][] {{0, 1}, {5, 0}}, 2);
        assertEquals(-(10 * 1 + 5 * 5) / 100.0, cost.score(m), 1e-12);
        assertThrows(LosslabException.class, () -> Objective.parse("cost", null, 2));
        assertThrows(LosslabException.class, () -> Objective.parse("cost", new double[][] {{0, 1}}, 2));
        assertThrows(LosslabException.class, () -> Objective.parse("accuracy", new double[][] {{0, 1}, {1, 0}}, 2));
        assertThrows(LosslabException.class, () -> Objective.parse("gmean", null, 2));
    }

    @Test
    void binaryGridMaximisesEachObjective() {
        int n = 1500;
        int[] y = new int[n];
        float[] p = probabilities(n, 2, y, 3, new double[] {0.85, 0.15});
        for (Objective o : List.of(Objective.BALANCED_ACCURACY, Objective.MACRO_F1,
                Objective.parse("cost", new double[][] {{0, 1}, {6, 0}}, 2))) {
            var fit = BinaryThresholdTuner.fit(p, y, o);
            double best = Double.NEGATIVE_INFINITY;
            for (int t = 0; t <= 1000; t++) {
                best = Math.max(best, o.score(new BinaryThresholdRule(t / 1000.0).predict(p), y, 2));
            }
            assertEquals(best, fit.accuracy(), 1e-12, o.name());
            assertEquals(best, o.score(fit.rule().predict(p), y, 2), 1e-12, o.name());
            assertTrue(fit.rule().threshold() < 0.5, o.name() + ": the minority class needs a lower threshold");
        }
    }

    @Test
    void exhaustiveSimplexSearchMaximisesEachObjective() {
        int n = 900;
        int[] y = new int[n];
        float[] p = probabilities(n, 3, y, 5, new double[] {0.7, 0.2, 0.1});
        var options = new SimplexSearch.Options(SimplexSearch.Strategy.EXHAUSTIVE, 0.05, 100, 1);
        for (boolean relative : new boolean[] {false, true}) {
            for (Objective o : OBJECTIVES) {
                SimplexSearch search = new SimplexSearch(p, y, 3, relative, o);
                var result = search.search(options);
                double best = Double.NEGATIVE_INFINITY;
                for (double[] t : search.grid(0.05)) {
                    best = Math.max(best, o.score(ThresholdArgmax.predict(p, t, relative), y, 3));
                }
                assertEquals(best, result.accuracy(), 1e-12, o.name() + (relative ? " relative" : " absolute"));
                // the refine search never ends below its random start and reports the objective too
                var refined = search.search(new SimplexSearch.Options(SimplexSearch.Strategy.REFINE, 0.01, 200, 2));
                assertEquals(refined.accuracy(), o.score(ThresholdArgmax.predict(p, refined.thresholds(), relative), y, 3),
                        1e-12);
            }
        }
    }

    @Test
    void logitAdjustmentAndTheMethodChoiceFollowTheObjective() {
        int n = 1200;
        int[] y = new int[n];
        float[] p = probabilities(n, 3, y, 7, new double[] {0.75, 0.2, 0.05});
        for (Objective o : OBJECTIVES) {
            LogitAdjustmentRule fit = LogitAdjustmentRule.fit(p, y, 3, o);
            double best = Double.NEGATIVE_INFINITY;
            for (int s = 0; s <= 40; s++) {
                best = Math.max(best, o.score(new LogitAdjustmentRule(fit.priors(), s * 0.05).predict(p), y, 3));
            }
            assertEquals(best, o.score(fit.predict(p), y, 3), 1e-12, o.name());

            var settings = new Tuner.Settings(TuningMethod.allFor(3),
                    new SimplexSearch.Options(SimplexSearch.Strategy.EXHAUSTIVE, 0.05, 100, 1),
                    DecisionTreeTuner.Options.crossValidated(1), o);
            var report = Tuner.tune(p, y, null, null, 3, settings);
            double top = report.methods().stream().mapToDouble(Tuner.MethodResult::validationObjective).max().orElseThrow();
            assertEquals(top, report.chosenResult().validationObjective(), 1e-12, o.name());
            for (var m : report.methods()) {
                assertEquals(o.score(m.rule().predict(p), y, 3), m.validationObjective(), 1e-12);
                assertEquals(Metrics.accuracy(m.rule().predict(p), y), m.validationAccuracy(), 1e-12);
            }
        }
        // balanced accuracy pushes the rare class's recall up against accuracy's choice
        var accRule = LogitAdjustmentRule.fit(p, y, 3, Objective.ACCURACY);
        var balRule = LogitAdjustmentRule.fit(p, y, 3, Objective.BALANCED_ACCURACY);
        assertTrue(balRule.tau() >= accRule.tau(), accRule.tau() + " vs " + balRule.tau());
    }
}
