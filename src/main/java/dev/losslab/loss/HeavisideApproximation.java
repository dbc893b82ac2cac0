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
    <T extends TNumber> Operand<T> apply(Ops tf, Operand<T> p, double tau);

    /** Plain-Java value, for references and tests. */
    double value(double p, double tau);

    /**
     * Tsoi et al. section 4, after Kyurkchiev and Markov [24]: {@code H_s(p; tau, k) = 1 / (1 +
     * exp(-k (p - tau)))}, k = 10 in all the paper's experiments.
     */
    record Sigmoid(double k) implements HeavisideApproximation {
        @Override
        public <T extends TNumber> Operand<T> apply(Ops tf, Operand<T> p, double tau) {
            return tf.math.sigmoid(tf.math.mul(LossOps.scalar(tf, k, p), tf.math.sub(p, LossOps.scalar(tf, tau, p))));
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
        public <T extends TNumber> Operand<T> apply(Ops tf, Operand<T> p, double tau) {
            double tm = Math.min(tau, 1 - tau);
            double lo = tau - tm / 2;
            double hi = tau + tm / 2;
            double m1 = delta / lo;
            double m2 = (1 - 2 * delta) / tm;
            double m3 = delta / (1 - hi);
            Operand<T> low = tf.math.mul(p, LossOps.scalar(tf, m1, p));
            Operand<T> mid = tf.math.add(tf.math.mul(p, LossOps.scalar(tf, m2, p)), LossOps.scalar(tf, 0.5 - m2 * tau, p));
            Operand<T> high = tf.math.add(tf.math.mul(p, LossOps.scalar(tf, m3, p)),
                    LossOps.scalar(tf, 1 - delta - m3 * hi, p));
            return tf.select(tf.math.less(p, LossOps.scalar(tf, lo, p)), low,
                    tf.select(tf.math.greater(p, LossOps.scalar(tf, hi, p)), high, mid));
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
