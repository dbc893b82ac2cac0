package dev.losslab.loss;

/**
 * Per-class quantities the class-frequency losses derive from the training split's class counts n_k
 * (N their sum, K classes; a class with no sample counts as 1). Null counts (a loss made without
 * data) give null: the loss then falls back to uniform.
 */
final class ClassFrequencies {
    private ClassFrequencies() {
    }

    /** n_k / N. */
    static double[] shares(int[] counts) {
        if (counts == null) {
            return null;
        }
        double n = total(counts);
        double[] s = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            s[c] = Math.max(counts[c], 1) / n;
        }
        return s;
    }

    /** N / (K n_k): "balanced" class weights, every class carrying the same total weight. */
    static double[] balancedWeights(int[] counts) {
        if (counts == null) {
            return null;
        }
        double n = total(counts);
        double[] w = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            w[c] = n / (counts.length * Math.max(counts[c], 1));
        }
        return w;
    }

    private static double total(int[] counts) {
        double n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }
}
