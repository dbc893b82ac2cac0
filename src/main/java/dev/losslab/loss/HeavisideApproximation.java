package dev.losslab.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * A differentiable stand-in for the Heaviside step H(p, tau) = [p >= tau] (Tsoi et al., "An
 * End-to-End Approach for Training Neural Network Binary Classifiers on Metrics Based on the
 * Confusion Matrix", section 4).
 */
public interface HeavisideApproximation {
    /**
     * H at every threshold at once: {@code p} of shape {@code [..., 1]} against {@code taus} {@code
     * [T]} gives {@code [..., T]} (one op chain for all thresholds instead of one per threshold).
     */
    <T extends TNumber> Operand<T> apply(Ops tf, Operand<T> p, double[] taus);

    /** Plain-Java value, for references and tests. */
    double value(double p, double tau);

    /**
     * Tsoi et al. section 4, after Kyurkchiev and Markov [24]: {@code H_s(p; tau, k) = 1 / (1 +
     * exp(-k (p - tau)))}, k = 10 in all the paper's experiments.
     */
    record Sigmoid(double k) implements HeavisideApproximation {
        @Override
        public <T extends TNumber> Operand<T> apply(Ops tf, Operand<T> p, double[] taus) {
            return tf.math.sigmoid(tf.math.mul(LossOps.scalar(tf, k, p), tf.math.sub(p, LossOps.vector(tf, taus, p))));
        }

        @Override
        public double value(double p, double tau) {
            return 1 / (1 + Math.exp(-k * (p - tau)));
        }
    }

    /**
     * Tsoi et al. eq. 5, the piecewise-linear approximation through (0, 0), (tau - tm/2, delta),
     * (tau, 0.5), (tau + tm/2, 1 - delta), (1, 1) with {@code tm = min(tau, 1 - tau)}: slopes
     * {@code m1 = delta / (tau - tm/2)}, {@code m2 = (1 - 2 delta) / tm},
     * {@code m3 = delta / (1 - tau - tm/2)}; delta = 0.1 in the paper.
     */
    record Linear(double delta) implements HeavisideApproximation {
        @Override
        public <T extends TNumber> Operand<T> apply(Ops tf, Operand<T> p, double[] taus) {
            int n = taus.length;
            double[] lo = new double[n];
            double[] hi = new double[n];
            double[] m1 = new double[n];
            double[] m2 = new double[n];
            double[] m3 = new double[n];
            double[] c2 = new double[n];
            double[] c3 = new double[n];
            for (int i = 0; i < n; i++) {
                double tau = taus[i];
                double tm = Math.min(tau, 1 - tau);
                lo[i] = tau - tm / 2;
                hi[i] = tau + tm / 2;
                m1[i] = delta / lo[i];
                m2[i] = (1 - 2 * delta) / tm;
                m3[i] = delta / (1 - hi[i]);
                c2[i] = 0.5 - m2[i] * tau;
                c3[i] = 1 - delta - m3[i] * hi[i];
            }
            Operand<T> low = tf.math.mul(p, LossOps.vector(tf, m1, p));
            Operand<T> mid = tf.math.add(tf.math.mul(p, LossOps.vector(tf, m2, p)), LossOps.vector(tf, c2, p));
            Operand<T> high = tf.math.add(tf.math.mul(p, LossOps.vector(tf, m3, p)), LossOps.vector(tf, c3, p));
            // the comparisons broadcast [..., 1] against [T] to the same [..., T] shape as the branches
            return tf.select(tf.math.less(p, LossOps.vector(tf, lo, p)), low,
                    tf.select(tf.math.greater(p, LossOps.vector(tf, hi, p)), high, mid));
        }

        @Override
        public double value(double p, double tau) {
            double tm = Math.min(tau, 1 - tau);
            double lo = tau - tm / 2;
            double hi = tau + tm / 2;
            if (p < lo) {
                return p * delta / lo;
            }
            if (p > hi) {
                double m3 = delta / (1 - hi);
                return p * m3 + (1 - delta - m3 * hi);
            }
            double m2 = (1 - 2 * delta) / tm;
            return p * m2 + (0.5 - m2 * tau);
        }
    }
}
