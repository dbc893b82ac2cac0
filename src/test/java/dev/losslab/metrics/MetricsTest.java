package dev.losslab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void aucMatchesPairCountingWithTies() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 300;
        float[] p = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(4) == 0 ? 1 : 0;
            float p1 = Math.round((r.nextDouble() * 0.6 + y[i] * 0.4) * 20) / 20f; // coarse: many ties
            p[2 * i] = 1 - p1;
            p[2 * i + 1] = p1;
        }
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    wins += p[2 * i + 1] > p[2 * j + 1] ? 1 : p[2 * i + 1] == p[2 * j + 1] ? 0.5 : 0;
                }
            }
        }
        assertEquals(wins / pairs, Metrics.auc(p, y, 2), 1e-12);
    }

    @Test
    void confusionBasedMetrics() {
        int[] y = {0, 0, 0, 0, 1, 1, 2, 2};
        int[] pred = {0, 0, 1, 0, 1, 0, 2, 1};
        assertEquals(5.0 / 8, Metrics.accuracy(pred, y), 1e-12);
        assertEquals((3.0 / 4 + 1.0 / 2 + 1.0 / 2) / 3, Metrics.balancedAccuracy(pred, y, 3), 1e-12);
        // per-class F1: class0 tp3 fp1 fn1 -> 6/8; class1 tp1 fp2 fn1 -> 2/5; class2 tp1 fp0 fn1 -> 2/3
        assertEquals((6.0 / 8 + 2.0 / 5 + 2.0 / 3) / 3, Metrics.f1(pred, y, 3), 1e-12);
    }
}
