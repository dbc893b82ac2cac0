package dev.losslab.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BinaryThresholdTunerTest {

    /** Brute force: every grid threshold, count hits, keep the best, ties nearest 0.5. */
    private static double[] bruteForce(float[] p, int[] y) {
        double bestAcc = -1;
        int best = 500;
        for (int t = 0; t <= 1000; t++) {
            double thr = t / 1000.0;
            int hit = 0;
            for (int i = 0; i < y.length; i++) {
                int pred = p[2 * i + 1] >= thr ? 1 : 0;
                hit += pred == y[i] ? 1 : 0;
            }
            double acc = (double) hit / y.length;
            if (acc > bestAcc || acc == bestAcc && Math.abs(t - 500) < Math.abs(best - 500)) {
                bestAcc = acc;
                best = t;
            }
        }
        return new double[] {best / 1000.0, bestAcc};
    }

    @Test
    void agreesWithBruteForce() {
        SplittableRandom r = new SplittableRandom(8);
        for (int trial = 0; trial < 30; trial++) {
            int n = 50 + r.nextInt(400);
            float[] p = new float[2 * n];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = r.nextInt(5) == 0 ? 1 : 0;
                // mix of exact grid values (edge cases for >=) and arbitrary floats, including 0 and 1
                float p1 = switch (r.nextInt(4)) {
                    case 0 -> r.nextInt(1001) / 1000f;
                    case 1 -> r.nextBoolean() ? 0f : 1f;
                    default -> (float) Math.min(1, Math.max(0, r.nextGaussian() * 0.25 + 0.3 + 0.3 * y[i]));
                };
                p[2 * i] = 1 - p1;
                p[2 * i + 1] = p1;
            }
            var fit = BinaryThresholdTuner.fit(p, y);
            double[] expected = bruteForce(p, y);
            assertEquals(expected[1], fit.accuracy(), 1e-12, "trial " + trial);
            assertEquals(expected[0], fit.rule().threshold(), 1e-12, "trial " + trial);
        }
    }

    @Test
    void tiesGoToHalf() {
        // perfectly separable with a wide gap: every threshold in (0.2, 0.8] is perfect, 0.5 wins
        float[] p = {0.9f, 0.1f, 0.85f, 0.15f, 0.2f, 0.8f};
        var fit = BinaryThresholdTuner.fit(p, new int[] {0, 0, 1});
        assertEquals(0.5, fit.rule().threshold(), 0);
        assertEquals(1.0, fit.accuracy(), 0);
    }

    @Test
    void ruleRoundTripsThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        DecisionRule rule = new BinaryThresholdRule(0.137);
        String text = json.writeValueAsString(rule);
        assertEquals("{\"method\":\"grid\",\"threshold\":0.137}", text);
        assertEquals(rule, json.readValue(text, DecisionRule.class));
        DecisionRule argmax = new ArgmaxRule(3);
        assertEquals(argmax, json.readValue(json.writeValueAsString(argmax), DecisionRule.class));
    }
}
