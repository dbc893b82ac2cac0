package dev.losslab.loss;

/**
 * Cui, Jia, Lin, Song, Belongie, "Class-Balanced Loss Based on Effective Number of Samples", CVPR
 * 2019, eq. 5 and sec. 4: a class with n samples has the effective number E_n = (1 - beta^n) /
 * (1 - beta); its weight is 1 / E_n = (1 - beta) / (1 - beta^n), and the weights are normalised to
 * sum to K. beta = 0.9999 by default (the paper's choice for long-tailed CIFAR). beta -> 0 gives equal
 * weights, beta -> 1 inverse class frequency.
 */
final class ClassBalancedWeights {
    private ClassBalancedWeights() {
    }

    /** The normalised weights for the class counts, or null without counts (all 1). */
    static double[] of(int[] counts, double beta) {
        if (counts == null) {
            return null;
        }
        int k = counts.length;
        double[] w = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            w[c] = (1 - beta) / (1 - Math.pow(beta, Math.max(counts[c], 1)));
            sum += w[c];
        }
        for (int c = 0; c < k; c++) {
            w[c] = w[c] * k / sum;
        }
        return w;
    }
}
