package dev.losslab.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * The notebook's soft-F1 loss ("Loss Functions" section): with soft counts over the batch
 * {@code TP = sum p y}, {@code FP = sum p (1 - y)}, {@code FN = sum (1 - p) y}, the loss is
 * {@code 1 - 2 TP / (2 TP + FP + FN + eps)}, eps = 1e-7.
 *
 * <p>K = 2: the F1 of class 1. K > 2 (the notebook's multiclass adaptation): one-vs-rest per class
 * with p[:, k], macro mean of the per-class soft F1.
 */
public final class SoftF1Loss implements Loss {
    public static final String NAME = "soft_f1";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
        Ops s = tf.withSubScope(NAME);
        LossOps.Columns<T> c = LossOps.columns(s, labels, logits, numClasses);
        Operand<T> tp = LossOps.count(s, s.math.mul(c.p(), c.y()));
        Operand<T> fp = LossOps.count(s, s.math.mul(c.p(), LossOps.oneMinus(s, c.y())));
        Operand<T> fn = LossOps.count(s, s.math.mul(LossOps.oneMinus(s, c.p()), c.y()));
        Operand<T> twoTp = s.math.mul(LossOps.scalar(s, 2, tp), tp);
        Operand<T> f1 = LossOps.safeDiv(s, twoTp, s.math.add(twoTp, s.math.add(fp, fn)));
        return LossOps.oneMinus(s, LossOps.mean(s, f1));
    }
}
