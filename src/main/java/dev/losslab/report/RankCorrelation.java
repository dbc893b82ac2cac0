package dev.losslab.report;

import java.util.Arrays;

/**
 * Spearman's rank correlation: Pearson's correlation of the two samples' ranks, ties given their
 * average rank (Spearman 1904, Am. J. Psychol. 15, 72-101; the tie rule as in Kendall and Gibbons 1990,
 * "Rank Correlation Methods", ch. 3). Used to ask whether runs whose probabilities are worse calibrated
 * gain more from threshold tuning.
 */
public final class RankCorrelation {
    private RankCorrelation() {
    }

    /** Spearman's rho of paired samples; NaN with fewer than 3 pairs or when either sample is constant. */
    public static double spearman(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("samples differ in length: " + x.length + " vs " + y.length);
        }
        if (x.length < 3) {
            return Double.NaN;
        }
        return pearson(ranks(x), ranks(y));
    }

    /** Random reorderings {@link #permutationP} draws. */
    public static final int PERMUTATIONS = 10_000;

    /**
     * Two-sided permutation p of rho = 0: the share of {@link #PERMUTATIONS} seeded random reorderings of
     * {@code y} whose |rho| reaches the observed one, counting the observed ordering ((hits + 1) / (draws + 1)).
     */
    public static double permutationP(double[] x, double[] y) {
        double observed = spearman(x, y);
        if (Double.isNaN(observed)) {
            return Double.NaN;
        }
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        java.util.SplittableRandom r = new java.util.SplittableRandom(19040101L);
        int hits = 0;
        for (int b = 0; b < PERMUTATIONS; b++) {
            for (int i = ry.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                double t = ry[i];
                ry[i] = ry[j];
                ry[j] = t;
            }
            if (Math.abs(pearson(rx, ry)) >= Math.abs(observed) - 1e-12) {
                hits++;
            }
        }
        return (hits + 1.0) / (PERMUTATIONS + 1.0);
    }

    /** 1-based ranks, tied values sharing the mean of the ranks they span. */
    static double[] ranks(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = rank;
            }
            i = j + 1;
        }
        return r;
    }

    static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }
}
