package dev.losslab.tune;

import dev.losslab.metrics.Objective;

/**
 * Kang et al. 2020 (ICLR, "Decoupling representation and classifier for long-tailed recognition", sec. 4,
 * tau-normalisation): the classifier's weight vector of class k is divided by its norm to the power tau,
 * w_k / ||w_k||^tau, which undoes the larger norms head classes acquire under instance-balanced training; tau = 0
 * is the classifier as trained, tau = 1 a fully normalised one, and tau is chosen on validation. losslab scales each
 * class's bias with its weights, so the logit becomes z_k / ||w_k||^tau and tau = 0 is exactly the trained model
 * (Kang et al.'s classifier has no bias; with a zero bias the two agree).
 */
public final class TauNormalisation {
    /** The tau grid searched on validation: 0, 0.05, ..., 2 (Kang et al. search [0, 2]). */
    public static final double STEP = 0.05;
    public static final double MAX = 2.0;

    private TauNormalisation() {
    }

    /**
     * The norm of each class's weight vector in a Dense kernel stored as Keras does, {@code [D, K]} row-major.
     *
     * @return ||w_k|| for k = 0..K-1
     */
    public static double[] classNorms(float[] kernel, int inputs, int classes) {
        if (kernel.length != inputs * classes) {
            throw new IllegalArgumentException("kernel has " + kernel.length + " values, not " + inputs + " x " + classes);
        }
        double[] n = new double[classes];
        for (int d = 0; d < inputs; d++) {
            for (int k = 0; k < classes; k++) {
                double w = kernel[d * classes + k];
                n[k] += w * w;
            }
        }
        for (int k = 0; k < classes; k++) {
            n[k] = Math.sqrt(n[k]);
        }
        return n;
    }

    /** The divisor of each class's logit: ||w_k||^tau (1 for tau = 0). */
    public static double[] divisors(double[] norms, double tau) {
        double[] d = new double[norms.length];
        for (int k = 0; k < norms.length; k++) {
            d[k] = tau == 0 ? 1 : Math.pow(norms[k], tau);
        }
        return d;
    }

    /** The class of each row of {@code logits [n, K]} after tau-normalisation: argmax_k z_k / ||w_k||^tau (ties: lowest k). */
    public static int[] predict(float[] logits, double[] norms, double tau) {
        int k = norms.length;
        double[] d = divisors(norms, tau);
        int n = logits.length / k;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bestV = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double v = logits[i * k + c] / d[c];
                if (v > bestV) {
                    bestV = v;
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** The tau of the grid whose decisions score best on validation by {@code objective} (ties: the smaller tau). */
    public static double choose(float[] logits, int[] labels, double[] norms, Objective objective) {
        int k = norms.length;
        double bestTau = 0;
        double best = Double.NEGATIVE_INFINITY;
        int steps = (int) Math.round(MAX / STEP);
        for (int s = 0; s <= steps; s++) {
            double tau = s * STEP;
            double score = objective.score(predict(logits, norms, tau), labels, k);
            if (score > best + 1e-12) {
                best = score;
                bestTau = tau;
            }
        }
        return bestTau;
    }
}
