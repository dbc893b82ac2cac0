package dev.losslab.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.metrics.Metrics;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Post-hoc logit adjustment: tau = 0 is argmax, the fit is the best tau of the grid (brute force), and it helps a model biased towards the majority. */
class LogitAdjustmentTest {

    @Test
    void tauZeroIsArgmaxAndTheFitIsTheBestOfTheGrid() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 3000;
        int k = 3;
        double[] share = {0.8, 0.15, 0.05};
        float[] p = new float[n * k];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            y[i] = u < share[0] ? 0 : u < share[0] + share[1] ? 1 : 2;
            double[] z = new double[k];
            double sum = 0;
            for (int c = 0; c < k; c++) {
                // a model over-weighting the prior: score = evidence + 2 log pi
                z[c] = Math.exp((c == y[i] ? 1.2 : 0) + r.nextGaussian() + 2 * Math.log(share[c]));
                sum += z[c];
            }
            for (int c = 0; c < k; c++) {
                p[i * k + c] = (float) (z[c] / sum);
            }
        }
        assertArrayEquals(Metrics.argmax(p, k), new LogitAdjustmentRule(share, 0).predict(p));
        LogitAdjustmentRule fitted = LogitAdjustmentRule.fit(p, y, k);
        double got = Metrics.accuracy(fitted.predict(p), y);
        double best = -1;
        double bestTau = -1;
        for (int s = 0; s <= 40; s++) {
            double acc = Metrics.accuracy(new LogitAdjustmentRule(fitted.priors(), s * 0.05).predict(p), y);
            if (acc > best + 1e-12) {
                best = acc;
                bestTau = s * 0.05;
            }
        }
        assertEquals(best, got, 1e-12);
        assertEquals(bestTau, fitted.tau(), 1e-12);
        assertTrue(fitted.tau() > 0, "a prior-biased model needs tau > 0");
        assertTrue(got > Metrics.accuracy(Metrics.argmax(p, k), y), "adjustment beats argmax here");
        assertEquals(0.8, fitted.priors()[0], 0.03);
    }
}
