package dev.losslab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.tune.TemperatureScaling;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** NLL, Brier, ECE and recall against hand computations; temperature scaling against a brute-force grid. */
class CalibrationTest {

    @Test
    void matchHandComputations() {
        // three samples, K = 2: p(class 1) = 0.9 (label 1), 0.6 (label 0), 0.25 (label 0)
        float[] p = {0.1f, 0.9f, 0.4f, 0.6f, 0.75f, 0.25f};
        int[] y = {1, 0, 0};
        assertEquals(-(Math.log(0.9) + Math.log(0.4) + Math.log(0.75)) / 3, Calibration.nll(p, y, 2), 1e-6);
        // Brier: (0.01 + 0.01) + (0.36 + 0.36) + (0.0625 + 0.0625) = 0.865, / 3
        assertEquals(0.865 / 3, Calibration.brier(p, y, 2), 1e-6);
        // confidences 0.9 (correct), 0.6 (wrong: predicts 1), 0.75 (correct); 15 bins:
        // 0.9 -> bin 13 (0.8667, 0.9333], 0.6 -> bin 8 (0.5333, 0.6], 0.75 -> bin 11 (0.7333, 0.8]
        // ECE = (|1 - 0.9| + |0 - 0.6| + |1 - 0.75|) / 3 = 0.95 / 3
        assertEquals(0.95 / 3, Calibration.ece(p, y, 2), 1e-6);
        var bins = Calibration.reliability(p, y, 2, 15);
        assertEquals(1, bins[13].count());
        assertEquals(1, bins[8].count());
        assertEquals(1, bins[11].count());
        // two bins: (0, 0.5] empty, (0.5, 1] holds all: |2/3 - 0.7667|
        assertEquals(Math.abs(2.0 / 3 - (0.9 + 0.6 + 0.75) / 3), Calibration.ece(p, y, 2, 2), 1e-6);
        assertArrayEquals(new double[] {1.0, 0.5}, Calibration.perClassRecall(new int[] {1, 0, 0}, new int[] {1, 0, 1}, 2),
                1e-12);
    }

    @Test
    void temperatureMinimisesValidationNllAndKeepsArgmax() {
        SplittableRandom r = new SplittableRandom(8);
        int n = 400;
        int k = 3;
        float[] p = new float[n * k];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(k);
            double[] z = new double[k];
            for (int c = 0; c < k; c++) {
                z[c] = r.nextGaussian() * 3 + (c == y[i] ? 2.5 : 0); // overconfident logits
            }
            double max = Math.max(z[0], Math.max(z[1], z[2]));
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[c] - max);
            }
            for (int c = 0; c < k; c++) {
                p[i * k + c] = (float) (Math.exp(z[c] - max) / sum);
            }
        }
        double t = TemperatureScaling.fit(p, y, k);
        double best = Double.POSITIVE_INFINITY;
        double bestT = 0;
        for (double logT = Math.log(0.05); logT <= Math.log(20); logT += 0.001) {
            double v = Calibration.nll(TemperatureScaling.apply(p, k, Math.exp(logT)), y, k);
            if (v < best) {
                best = v;
                bestT = Math.exp(logT);
            }
        }
        assertEquals(bestT, t, bestT * 0.002);
        assertTrue(t > 1, "overconfident logits need T > 1, got " + t);
        float[] scaled = TemperatureScaling.apply(p, k, t);
        assertArrayEquals(Metrics.argmax(p, k), Metrics.argmax(scaled, k));
        assertTrue(Calibration.nll(scaled, y, k) <= Calibration.nll(p, y, k));
    }
}
