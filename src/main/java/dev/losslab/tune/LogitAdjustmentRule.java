package dev.losslab.tune;

import dev.losslab.metrics.Objective;

/**
 * Post-hoc logit adjustment (Menon et al. 2021, "Long-tail learning via logit adjustment", ICLR,
 * eq. 8): predict argmax_k (log p_k - tau log pi_k), pi the class priors. tau = 0 is argmax; tau = 1
 * targets the balanced error. The notebook's relative thresholds argmax_k p_k / t_k are the same
 * family with t_k = pi_k^tau, free per class. Ties go to the lowest class index.
 */
public record LogitAdjustmentRule(double[] priors, double tau) implements DecisionRule {
    @Override
    public int numClasses() {
        return priors.length;
    }

    @Override
    public int[] predict(float[] probabilities) {
        int k = priors.length;
        double[] shift = new double[k];
        for (int c = 0; c < k; c++) {
            shift[c] = tau * Math.log(Math.max(priors[c], 1e-12));
        }
        int n = probabilities.length / k;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double score = Math.log(Math.max(probabilities[i * k + c], 1e-30)) - shift[c];
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** tau values searched: 0, 0.05, ..., 2. */
    public static final double TAU_STEP = 0.05;
    public static final double TAU_MAX = 2.0;

    /**
     * Priors from the validation labels (stratified like the training split, so the same class
     * shares) and tau on the grid maximising validation accuracy; ties to the smallest tau.
     */
    public static LogitAdjustmentRule fit(float[] p, int[] labels, int k) {
        return fit(p, labels, k, Objective.ACCURACY);
    }

    /** As {@link #fit(float[], int[], int)}, tau maximising {@code objective} instead of accuracy. */
    public static LogitAdjustmentRule fit(float[] p, int[] labels, int k, Objective objective) {
        double[] priors = new double[k];
        for (int y : labels) {
            priors[y]++;
        }
        for (int c = 0; c < k; c++) {
            priors[c] = Math.max(priors[c], 0.5) / labels.length;
        }
        LogitAdjustmentRule best = null;
        double bestAcc = Double.NEGATIVE_INFINITY;
        for (int step = 0; step * TAU_STEP <= TAU_MAX + 1e-9; step++) {
            LogitAdjustmentRule r = new LogitAdjustmentRule(priors, step * TAU_STEP);
            double acc = objective.score(r.predict(p), labels, k);
            if (acc > bestAcc + 1e-12) {
                bestAcc = acc;
                best = r;
            }
        }
        return best;
    }
}
