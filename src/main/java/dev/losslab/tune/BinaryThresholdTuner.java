package dev.losslab.tune;

import dev.losslab.metrics.Objective;

/**
 * The notebook's binary threshold search: thresholds 0.000, 0.001, ..., 1.000 on the validation
 * probabilities of class 1, predicting class 1 when {@code p1 >= t}, keeping the one with the
 * highest accuracy; among equally accurate thresholds the one nearest 0.5 wins (the default rule
 * unless something is strictly better).
 *
 * <p>Accuracy for every grid point comes from one pass: each sample's p1 falls between two grid
 * points, so a histogram over the 1,001 grid cells and two cumulative sums give, for every t, the
 * number of positives at or above t and negatives below t.
 */
public final class BinaryThresholdTuner {
    public static final int STEPS = 1000;

    private BinaryThresholdTuner() {
    }

    /** The fitted rule and its validation accuracy. */
    public record Fit(BinaryThresholdRule rule, double accuracy) {
    }

    public static Fit fit(float[] probabilities, int[] labels) {
        return fit(probabilities, labels, Objective.ACCURACY);
    }

    /**
     * The threshold maximising {@code objective} on validation (ties nearest 0.5); {@link Fit#accuracy}
     * holds the objective's value. Every threshold's confusion matrix comes from the same two
     * cumulative sums.
     */
    public static Fit fit(float[] probabilities, int[] labels, Objective objective) {
        int n = labels.length;
        if (probabilities.length != 2 * n) {
            throw new IllegalArgumentException("binary tuning needs [n, 2] probabilities");
        }
        // cell[j]: samples whose p1 lies in [j/1000, (j+1)/1000), i.e. predicted positive for t <= j/1000.
        // Cell index = the largest j with j/STEPS <= p, computed so the comparison p >= t stays exact.
        long[] posCell = new long[STEPS + 2];
        long[] negCell = new long[STEPS + 2];
        for (int i = 0; i < n; i++) {
            float p = probabilities[2 * i + 1];
            int j = cell(p);
            if (labels[i] == 1) {
                posCell[j]++;
            } else {
                negCell[j]++;
            }
        }
        // For threshold index t: positives predicted positive = sum_{j >= t} posCell[j];
        // negatives predicted negative = sum_{j < t} negCell[j].
        long totalPos = 0;
        for (long c : posCell) {
            totalPos += c;
        }
        long totalNeg = n - totalPos;
        long posAtOrAbove = totalPos;
        long negBelow = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        int best = STEPS / 2;
        for (int t = 0; t <= STEPS; t++) {
            if (t > 0) {
                posAtOrAbove -= posCell[t - 1];
                negBelow += negCell[t - 1];
            }
            double score = objective.isAccuracy() ? posAtOrAbove + negBelow
                    : objective.score(new long[][] {{negBelow, totalNeg - negBelow}, {totalPos - posAtOrAbove, posAtOrAbove}});
            if (score > bestScore || score == bestScore && Math.abs(t - STEPS / 2) < Math.abs(best - STEPS / 2)) {
                bestScore = score;
                best = t;
            }
        }
        double threshold = best / (double) STEPS;
        return new Fit(new BinaryThresholdRule(threshold), n == 0 ? Double.NaN
                : objective.isAccuracy() ? bestScore / n : bestScore);
    }

    /** Largest grid index j in 0..STEPS+1 with {@code p >= j / STEPS} (STEPS+1 is unreachable, kept for safety). */
    static int cell(float p) {
        if (!(p >= 0)) {
            return 0;
        }
        int j = (int) Math.floor(p * STEPS);
        j = Math.max(0, Math.min(STEPS, j));
        // repair floating-point rounding so that p >= j/STEPS and p < (j+1)/STEPS under the rule's own comparison
        while (j > 0 && !(p >= j / (double) STEPS)) {
            j--;
        }
        while (j < STEPS && p >= (j + 1) / (double) STEPS) {
            j++;
        }
        return j;
    }
}
