package dev.losslab.report;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Tests for paired differences that do not assume normality, and Holm's correction for testing
 * several methods against one baseline.
 *
 * <p>{@link #signFlipP}: the paired permutation (Fisher-Pitman) test of "mean difference = 0": under
 * the null each pair's difference is as likely negative as positive, so the p-value is the share of
 * the 2^n sign assignments whose |mean| is at least the observed one (Good 2005, "Permutation,
 * Parametric and Bootstrap Tests of Hypotheses", sec. 3.7). Exact up to n = 20 pairs, else 100,000
 * seeded random assignments. With n pairs the smallest possible p is 2 / 2^n: three seeds can never
 * reach p < 0.25.
 *
 * <p>{@link #bootstrapInterval}: the paired percentile bootstrap interval of the mean difference
 * (Efron and Tibshirani 1993, "An Introduction to the Bootstrap", ch. 13): resample the n pairs with
 * replacement, take the mean, report the 2.5th and 97.5th percentiles of 10,000 seeded resamples. It
 * assumes nothing about the differences' distribution, but with few pairs it is too narrow (n = 3 has
 * only 10 distinct resample means), which is why verdicts rest on the permutation test.
 *
 * <p>{@link #holm}: Holm 1979 (Scand. J. Statist. 6, 65-70), step-down: sort the m p-values, multiply
 * the i-th smallest by (m - i + 1), make the sequence non-decreasing, cap at 1; controls the
 * family-wise error rate without assuming independence.
 */
public final class PairedTests {
    private PairedTests() {
    }

    /** Two-sided p-value of the sign-flip permutation test on paired differences {@code d}. */
    public static double signFlipP(double[] d) {
        int n = d.length;
        if (n == 0) {
            return Double.NaN;
        }
        double observed = Math.abs(sum(d)) - 1e-12;
        if (n <= 20) {
            long total = 1L << n;
            long atLeast = 0;
            for (long mask = 0; mask < total; mask++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += ((mask >> i) & 1) == 1 ? -d[i] : d[i];
                }
                if (Math.abs(s) >= observed) {
                    atLeast++;
                }
            }
            return (double) atLeast / total;
        }
        SplittableRandom r = new SplittableRandom(20261123L);
        int draws = 100_000;
        int atLeast = 0;
        for (int k = 0; k < draws; k++) {
            double s = 0;
            for (double v : d) {
                s += r.nextBoolean() ? -v : v;
            }
            if (Math.abs(s) >= observed) {
                atLeast++;
            }
        }
        return (atLeast + 1.0) / (draws + 1.0);
    }

    /** The verdict against cross-entropy at family-wise 5%: Holm-adjusted p below 0.05, in the direction of the mean. */
    public static String verdict(int pairs, double meanDifference, double holmP) {
        if (pairs < 2) {
            return "too few pairs";
        }
        if (holmP < 0.05) {
            return meanDifference > 0 ? "beats CE" : "worse than CE";
        }
        return "no detectable difference";
    }

    /** Resamples drawn by {@link #bootstrapInterval}. */
    public static final int BOOTSTRAP_RESAMPLES = 10_000;

    /**
     * {lower, upper}: the 95% paired percentile bootstrap interval of the mean of {@code d}
     * ({@link #BOOTSTRAP_RESAMPLES} resamples, fixed seed, so reports regenerate identically); NaNs when d is empty.
     */
    public static double[] bootstrapInterval(double[] d) {
        int n = d.length;
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        SplittableRandom r = new SplittableRandom(19930101L);
        double[] means = new double[BOOTSTRAP_RESAMPLES];
        for (int b = 0; b < means.length; b++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += d[r.nextInt(n)];
            }
            means[b] = s / n;
        }
        Arrays.sort(means);
        return new double[] {percentile(means, 0.025), percentile(means, 0.975)};
    }

    /** Linear interpolation between order statistics (the "R-7" definition) of a sorted array. */
    static double percentile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Holm-adjusted p-values, in the input order. */
    public static double[] holm(double[] p) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double[] adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1, (m - rank) * p[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
