package dev.losslab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Spearman's rho against hand-worked examples, including ties. */
class RankCorrelationTest {
    @Test
    void monotoneSamplesGivePlusOrMinusOne() {
        double[] x = {0.1, 0.5, 0.2, 0.9};
        assertEquals(1.0, RankCorrelation.spearman(x, new double[] {1, 50, 3, 1000}), 1e-12);
        assertEquals(-1.0, RankCorrelation.spearman(x, new double[] {9, -2, 4, -7}), 1e-12);
    }

    @Test
    void tiesShareTheirAverageRankAndRhoMatchesTheHandValue() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, RankCorrelation.ranks(new double[] {1, 2, 2, 3}), 1e-12);
        // no ties: rho = 1 - 6 sum d^2 / (n (n^2 - 1)); ranks x 1..5, y 2,1,4,3,5 -> sum d^2 = 4 -> 1 - 24/120 = 0.8
        assertEquals(0.8, RankCorrelation.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {20, 10, 40, 30, 50}), 1e-12);
        // with ties: Pearson of ranks {1, 2.5, 2.5, 4} and {1, 2, 3, 4}: cov 4.5 / sqrt(4.5 * 5)
        assertEquals(4.5 / Math.sqrt(4.5 * 5), RankCorrelation.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4}), 1e-12);
        assertTrue(Double.isNaN(RankCorrelation.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
        assertTrue(Double.isNaN(RankCorrelation.spearman(new double[] {1, 2}, new double[] {1, 2})));
    }

    @Test
    void permutationPMatchesTheExactShareForFourPairs() {
        // n = 4, x = y: only the identity and the reversal of the 24 orderings reach |rho| = 1 -> p = 2/24
        double[] x = {1, 2, 3, 4};
        assertEquals(2.0 / 24, RankCorrelation.permutationP(x, x.clone()), 0.01);
        // 40 independent-looking pairs: p is not small
        double[] a = new double[40];
        double[] b = new double[40];
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < 40; i++) {
            a[i] = r.nextDouble();
            b[i] = r.nextDouble();
        }
        double p = RankCorrelation.permutationP(a, b);
        assertTrue(p > 0.05, "p " + p + " rho " + RankCorrelation.spearman(a, b));
        // a perfectly monotone 40 pairs: p at its floor
        assertEquals(1.0 / (RankCorrelation.PERMUTATIONS + 1), RankCorrelation.permutationP(a, a.clone()), 1e-12);
    }
}
