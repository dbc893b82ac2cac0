package dev.losslab.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import dev.losslab.metrics.Metrics;
import dev.losslab.metrics.Objective;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cross-fitted selection: stratified folds, out-of-fold scoring, and a choice that no longer rewards fitting noise. */
class CrossFittingTest {
    private static Tuner.Settings settings(int k, Objective objective) {
        Tuner.Settings all = Tuner.Settings.all(k, 7);
        return new Tuner.Settings(List.of(TuningMethod.ARGMAX, TuningMethod.LOGIT_ADJUSTMENT, TuningMethod.RELATIVE),
                all.search(), all.tree(), objective);
    }

    @Test
    void foldsAreStratifiedAndSeeded() {
        int[] labels = new int[130];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 100 ? 0 : i < 118 ? 1 : 2; // 100, 18 and 12 images
        }
        int[] fold = CrossFitting.stratifiedFolds(labels, 3, 5, 1);
        for (int c = 0; c < 3; c++) {
            int[] perFold = new int[5];
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    perFold[fold[i]]++;
                }
            }
            int min = java.util.Arrays.stream(perFold).min().orElseThrow();
            int max = java.util.Arrays.stream(perFold).max().orElseThrow();
            assertTrue(max - min <= 1, "class " + c + " dealt evenly: " + java.util.Arrays.toString(perFold));
        }
        assertArrayEquals(fold, CrossFitting.stratifiedFolds(labels, 3, 5, 1), "same seed, same folds");
        assertTrue(!java.util.Arrays.equals(fold, CrossFitting.stratifiedFolds(labels, 3, 5, 2)), "another seed, other folds");
    }

    /** Argmax fits nothing: its out-of-fold predictions are its predictions, so the scores agree exactly. */
    @Test
    void argmaxScoresTheSameOutOfFold() {
        Random r = new Random(3);
        int n = 200;
        int k = 3;
        float[] p = new float[n * k];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(k);
            for (int c = 0; c < k; c++) {
                p[i * k + c] = r.nextFloat() + (c == labels[i] ? 0.5f : 0f);
            }
        }
        Tuner.Settings s = settings(k, Objective.BALANCED_ACCURACY);
        double inSample = Objective.BALANCED_ACCURACY.score(Metrics.argmax(p, k), labels, k);
        assertEquals(inSample, CrossFitting.score(TuningMethod.ARGMAX, p, labels, k, s, 5, 1), 1e-15);
    }

    /**
     * Probabilities that say nothing about the labels: per-class thresholds fitted to them look better than chance on the
     * data they were fitted to, and that optimism is gone out of fold; the in-sample choice takes a fitted rule over
     * argmax. Cross-fitted selection takes the best out-of-fold score, and its rule is the method's fit on all of
     * validation.
     */
    @Test
    void crossFittingRemovesTheOptimismOfFittingNoise() {
        Random r = new Random(11);
        int n = 240;
        int k = 3;
        float[] p = new float[n * k];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i < 180 ? 0 : i < 220 ? 1 : 2;
            float sum = 0;
            for (int c = 0; c < k; c++) {
                p[i * k + c] = r.nextFloat();
                sum += p[i * k + c];
            }
            for (int c = 0; c < k; c++) {
                p[i * k + c] /= sum;
            }
        }
        Tuner.Settings inSample = settings(k, Objective.BALANCED_ACCURACY);
        Tuner.Report plain = Tuner.tune(p, labels, null, null, k, inSample);
        Tuner.Report crossFitted = Tuner.tune(p, labels, null, null, k, inSample.withSelectionFolds(5));
        Tuner.MethodResult relative = crossFitted.methods().stream().filter(m -> m.method() == TuningMethod.RELATIVE)
                .findFirst().orElseThrow();
        assertTrue(relative.validationObjective() > relative.crossFittedObjective() + 0.05,
                "in-sample " + relative.validationObjective() + " against out-of-fold " + relative.crossFittedObjective());
        assertTrue(plain.chosen() != TuningMethod.ARGMAX, "in-sample choice rewards the fitted noise: " + plain.chosen());
        for (Tuner.MethodResult m : crossFitted.methods()) {
            assertTrue(crossFitted.chosenResult().crossFittedObjective() >= m.crossFittedObjective(), m.method().toString());
            assertTrue(Double.isNaN(plain.methods().get(0).crossFittedObjective()), "no cross-fitting asked, none done");
        }
        assertArrayEquals(Tuner.fit(crossFitted.chosen(), p, labels, k, inSample).predict(p),
                crossFitted.chosenResult().rule().predict(p), "the chosen rule is fitted on all of validation");
    }

    @Test
    void oneFoldIsRefused() {
        Tuner.Settings s = settings(3, Objective.ACCURACY);
        var e = assertThrows(LosslabException.class, () -> s.withSelectionFolds(1));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
    }
}
