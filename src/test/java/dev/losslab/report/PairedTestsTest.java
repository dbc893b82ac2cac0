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

    @Test
    void bootstrapIntervalCoversTheExactResamplingDistribution() {
        // constant differences: every resample mean is the constant
        assertArrayEquals(new double[] {0.003, 0.003}, PairedTests.bootstrapInterval(new double[] {0.003, 0.003, 0.003}), 1e-15);
        // n = 5: all 5^5 resamples are equally likely; each bound must cut off about 2.5% of their means
        double[] d = {-0.004, 0.001, 0.002, 0.006, 0.010};
        double[] ci = PairedTests.bootstrapInterval(d);
        int below = 0;
        int above = 0;
        int total = 0;
        for (int a = 0; a < 5; a++) {
            for (int b = 0; b < 5; b++) {
                for (int c = 0; c < 5; c++) {
                    for (int e = 0; e < 5; e++) {
                        for (int f = 0; f < 5; f++) {
                            double m = (d[a] + d[b] + d[c] + d[e] + d[f]) / 5;
                            below += m < ci[0] - 1e-12 ? 1 : 0;
                            above += m > ci[1] + 1e-12 ? 1 : 0;
                            total++;
                        }
                    }
                }
            }
        }
        assertTrue(below / (double) total > 0.01 && below / (double) total < 0.04, below + " of " + total);
        assertTrue(above / (double) total > 0.01 && above / (double) total < 0.04, above + " of " + total);
        // shifting every difference shifts the interval (same seeded resamples)
        double[] shifted = java.util.Arrays.stream(d).map(v -> v + 0.5).toArray();
        double[] ci2 = PairedTests.bootstrapInterval(shifted);
        assertEquals(ci[0] + 0.5, ci2[0], 1e-9);
        assertEquals(ci[1] + 0.5, ci2[1], 1e-9);
        assertTrue(Double.isNaN(PairedTests.bootstrapInterval(new double[0])[0]));
    }
}
