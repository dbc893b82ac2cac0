package dev.losslab.tune;

import dev.losslab.metrics.Calibration;

/**
 * Temperature scaling (Guo et al. 2017, sec. 4.2): one scalar T > 0 divides the logits,
 * softmax(z / T), fitted to minimise the validation NLL; argmax, and so accuracy, is unchanged. On
 * probabilities the logits are log p (softmax is invariant to the constant a logit vector lost),
 * so p_k(T) is proportional to p_k^(1/T). T is found by golden-section search on log T in
 * [log 0.05, log 20] (the NLL is convex in 1/T for fixed logits), to 1e-6 in log T.
 */
public final class TemperatureScaling {
    private TemperatureScaling() {
    }

    /** p_k^(1/T), renormalised, for every row of {@code p [n, K]}. */
    public static float[] apply(float[] p, int k, double temperature) {
        float[] out = new float[p.length];
        int n = p.length / k;
        double inv = 1 / temperature;
        double[] z = new double[k];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                z[c] = Math.log(Math.max(p[i * k + c], 1e-30)) * inv;
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            for (int c = 0; c < k; c++) {
                out[i * k + c] = (float) (z[c] / sum);
            }
        }
        return out;
    }

    /** The temperature minimising the NLL of {@code labels} under {@code p}. */
    public static double fit(float[] p, int[] labels, int k) {
        double lo = Math.log(0.05);
        double hi = Math.log(20);
        double g = (Math.sqrt(5) - 1) / 2;
        double a = hi - g * (hi - lo);
        double b = lo + g * (hi - lo);
        double fa = Calibration.nll(apply(p, k, Math.exp(a)), labels, k);
        double fb = Calibration.nll(apply(p, k, Math.exp(b)), labels, k);
        while (hi - lo > 1e-6) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - g * (hi - lo);
                fa = Calibration.nll(apply(p, k, Math.exp(a)), labels, k);
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + g * (hi - lo);
                fb = Calibration.nll(apply(p, k, Math.exp(b)), labels, k);
            }
        }
        return Math.exp((lo + hi) / 2);
    }
}
