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
        return ClassFrequencies.balancedWeights(counts);
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
        Operand<T> perSample = CrossEntropyLoss.perSample(s, labels, logits, numClasses);
        if (weights == null) {
            return LossOps.mean(s, perSample);
        }
        // w_{y_i} = sum_k y_ik w_k (one-hot labels [B, K])
        Operand<T> w = s.reduceSum(s.math.mul(labels, LossOps.vector(s, weights, logits)), s.constant(1));
        return LossOps.mean(s, s.math.mul(w, perSample));
    }
}
