package dev.losslab.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Class-weighted cross-entropy: the batch mean of w_{y_i} CE_i, with CE_i the sample's binary or
 * categorical cross-entropy from logits ({@link CrossEntropyLoss}). Default weights w_k = N / (K n_k)
 * from the training split's class counts n_k (N their sum; scikit-learn's and Keras' "balanced" class
 * weights, King and Zeng 2001), so every class carries the same total weight; or given in the config.
 * Without counts (a loss made without data) the weights are 1, i.e. plain cross-entropy.
 */
public final class WeightedCrossEntropyLoss implements Loss {
    public static final String NAME = "weighted_crossentropy";
    private final String name;
    private final double[] weights;

    public WeightedCrossEntropyLoss(double[] weights) {
        this(NAME, weights);
    }

    /** Under another name, e.g. class_balanced_crossentropy with {@link ClassBalancedWeights}. */
    public WeightedCrossEntropyLoss(String name, double[] weights) {
        this.name = name;
        this.weights = weights;
    }

    /** The configured weights, else N / (K n_k), else null (all 1). */
    static double[] weights(double[] configured, int[] counts) {
        if (configured != null) {
            return configured;
        }
        if (counts == null) {
            return null;
        }
        double n = 0;
        for (int c : counts) {
            n += c;
        }
        double[] w = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            w[c] = n / (counts.length * Math.max(counts[c], 1));
        }
        return w;
    }

    public double[] weights() {
        return weights;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
        Ops s = tf.withSubScope(name);
        Operand<T> perSample;
        if (numClasses == 2) {
            Operand<T> y = LossOps.positiveColumn(s, labels);
            perSample = s.reshape(s.math.sub(CrossEntropyLoss.softplus(s, logits), s.math.mul(logits, y)), s.constant(new int[] {-1}));
        } else {
            perSample = s.math.neg(s.reduceSum(s.math.mul(labels, s.nn.logSoftmax(logits)), s.constant(1)));
        }
        if (weights == null) {
            return LossOps.mean(s, perSample);
        }
        // w_{y_i} = sum_k y_ik w_k (one-hot labels [B, K])
        Operand<T> w = s.reduceSum(s.math.mul(labels, LossOps.vector(s, weights, logits)), s.constant(1));
        return LossOps.mean(s, s.math.mul(w, perSample));
    }
}
