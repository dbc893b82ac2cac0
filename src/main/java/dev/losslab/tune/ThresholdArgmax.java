package dev.losslab.tune;

/**
 * The inner loop shared by the absolute and relative threshold rules and their search: the score
 * of class k is {@code p_k - t_k} (absolute) or {@code p_k * (1 / t_k)} (relative).
 */
final class ThresholdArgmax {
    private ThresholdArgmax() {
    }

    static int[] predict(float[] p, double[] t, boolean relative) {
        int k = t.length;
        int n = p.length / k;
        double[] w = weights(t, relative);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = argmax(p, i * k, w, k, relative);
        }
        return out;
    }

    /** For the relative rule the reciprocals, so the hot loop multiplies instead of dividing. */
    static double[] weights(double[] t, boolean relative) {
        if (!relative) {
            return t;
        }
        double[] inv = new double[t.length];
        for (int c = 0; c < t.length; c++) {
            inv[c] = 1 / t[c];
        }
        return inv;
    }

    static int argmax(float[] p, int offset, double[] w, int k, boolean relative) {
        int best = 0;
        double bestScore = relative ? p[offset] * w[0] : p[offset] - w[0];
        for (int c = 1; c < k; c++) {
            double s = relative ? p[offset + c] * w[c] : p[offset + c] - w[c];
            if (s > bestScore) {
                bestScore = s;
                best = c;
            }
        }
        return best;
    }

    /**
     * Number of correct predictions, or -1 as soon as the errors exceed {@code maxErrors} (the
     * candidate cannot reach the best found so far).
     */
    static int correct(float[] p, int[] labels, double[] t, boolean relative, int maxErrors) {
        int k = t.length;
        double[] w = weights(t, relative);
        int errors = 0;
        for (int i = 0; i < labels.length; i++) {
            if (argmax(p, i * k, w, k, relative) != labels[i] && ++errors > maxErrors) {
                return -1;
            }
        }
        return labels.length - errors;
    }
}
