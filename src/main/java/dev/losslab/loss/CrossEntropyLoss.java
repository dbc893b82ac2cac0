package dev.losslab.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Binary or categorical cross-entropy computed from logits, the notebook's baseline loss (Keras'
 * {@code binary_crossentropy} / {@code categorical_crossentropy}).
 *
 * <p>K = 2, logit x, label y = labels[:, 1]: {@code mean(max(x, 0) - x y + log(1 + exp(-|x|)))},
 * the overflow-free form of {@code -y log sigmoid(x) - (1 - y) log(1 - sigmoid(x))} (as in TF's
 * {@code sigmoid_cross_entropy_with_logits}). K > 2: {@code mean_b(-sum_k y_bk log_softmax(x)_bk)}.
 * Keras computes both from clipped probabilities (eps = 1e-7); working from logits is the stable
 * equivalent and differs only where Keras would clip.
 */
public final class CrossEntropyLoss implements Loss {
    public static final String NAME = "crossentropy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
        Ops s = tf.withSubScope(NAME);
        return LossOps.mean(s, perSample(s, labels, logits, numClasses));
    }

    /** Each sample's cross-entropy {@code [B]} (the loss before the batch mean). */
    static <T extends TNumber> Operand<T> perSample(Ops s, Operand<T> labels, Operand<T> logits, int numClasses) {
        if (numClasses == 2) {
            Operand<T> y = LossOps.positiveColumn(s, labels);
            return s.reshape(s.math.sub(softplus(s, logits), s.math.mul(logits, y)), s.constant(new int[] {-1}));
        }
        return s.math.neg(s.reduceSum(s.math.mul(labels, s.nn.logSoftmax(logits)), s.constant(1)));
    }

    /** {@code log(1 + exp(x)) = max(x, 0) + log(1 + exp(-|x|))}, stable for any x. */
    static <T extends TNumber> Operand<T> softplus(Ops tf, Operand<T> x) {
        return tf.math.add(tf.nn.relu(x), tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(x)))));
    }
}
