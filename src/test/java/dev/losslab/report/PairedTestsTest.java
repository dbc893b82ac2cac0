package dev.losslab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The permutation test against hand counts and a brute-force recount; Holm against a worked example. */
class PairedTestsTest {

    @Test
    void signFlipMatchesHandCounts() {
        // all three differences positive: only the all-plus and all-minus assignments reach |sum| = 6
        assertEquals(2.0 / 8, PairedTests.signFlipP(new double[] {1, 2, 3}), 1e-12);
        // {1, -1}: every assignment has |sum| 0 or 2 >= 0
        assertEquals(1.0, PairedTests.signFlipP(new double[] {1, -1}), 1e-12);
        // twelve equal positive differences: 2 of 4096
        double[] twelve = new double[12];
        java.util.Arrays.fill(twelve, 0.002);
        assertEquals(2.0 / 4096, PairedTests.signFlipP(twelve), 1e-12);
    }

    @Test
    void signFlipEqualsABruteForceRecount() {
        SplittableRandom r = new SplittableRandom(4);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + r.nextInt(9);
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = Math.round(r.nextGaussian() * 1000) / 1e5;
            }
            double obs = Math.abs(java.util.Arrays.stream(d).sum());
            int hits = 0;
            for (int mask = 0; mask < (1 << n); mask++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += (mask & (1 << i)) != 0 ? -d[i] : d[i];
                }
                hits += Math.abs(s) >= obs - 1e-12 ? 1 : 0;
            }
            assertEquals((double) hits / (1 << n), PairedTests.signFlipP(d), 1e-12);
        }
        double[] many = new double[30];
        java.util.Arrays.fill(many, 1);
        assertTrue(PairedTests.signFlipP(many) < 1e-4); // Monte Carlo beyond 20 pairs
    }

    @Test
    void holmMatchesTheWorkedExample() {
        // p = 0.01, 0.04, 0.03, 0.005 (m = 4): sorted 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> 0.06
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, PairedTests.holm(new double[] {0.01, 0.04, 0.03, 0.005}),
                1e-12);
        assertArrayEquals(new double[] {1.0, 1.0}, PairedTests.holm(new double[] {0.6, 0.9}), 1e-12);
    }
}
