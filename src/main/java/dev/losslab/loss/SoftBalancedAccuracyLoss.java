package dev.losslab.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * The notebook's soft balanced-accuracy loss ("Loss Functions" section: penalises errors relative
 * to how often each class appears): {@code 1 - mean_k sum_b(p_bk y_bk) / (sum_b y_bk + eps)}, the
 * mean over all K classes of the soft recall, eps = 1e-7.
 *
 * <p>K = 2 uses both columns ({@code [1 - p, p]}), i.e. the mean of soft TPR and soft TNR. A class
 * absent from the batch contributes 0 (a constant, so no gradient), exactly as the formula reads.
 */
public final class SoftBalancedAccuracyLoss implements Loss {
    public static final String NAME = "soft_balanced_accuracy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
        Ops s = tf.withSubScope(NAME);
        Operand<T> p = LossOps.probabilities(s, logits, numClasses);
        Operand<T> recall = LossOps.safeDiv(s, LossOps.count(s, s.math.mul(p, labels)), LossOps.count(s, labels));
        return LossOps.oneMinus(s, LossOps.mean(s, recall));
    }
}
