package dev.losslab.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * AnyLoss (Han, Tsai, Lee, Jung, "AnyLoss: Transforming Classification Metrics into Loss
 * Functions", KDD 2024, seed 003): the probability is sharpened by the amplifier
 * {@code A(p) = 1 / (1 + exp(-L (p - 0.5)))} (eq. 1; L = 73, the largest integer in table 1's valid
 * range for accuracy level 1e-15), the confusion matrix is built from A (eq. 6: TP = sum y A,
 * FN = sum y (1 - A), FP = sum (1 - y) A, TN = sum (1 - y)(1 - A)), and the loss is 1 - metric
 * (eq. 10):
 * <ul>
 *   <li>accuracy: {@code (TP + TN) / N};</li>
 *   <li>fbeta: {@code (1 + b^2) TP / ((1 + b^2) TP + b^2 FN + FP)};</li>
 *   <li>gmean: {@code sqrt(TPR * TNR)};</li>
 *   <li>balanced_accuracy: {@code (TPR + TNR) / 2}.</li>
 * </ul>
 * Denominators get eps = 1e-7, and gmean takes {@code sqrt(x + eps)} so its gradient stays finite
 * when a class is missing from the batch. The paper is binary only; our multiclass form applies the
 * same to each softmax column one-vs-rest and takes the macro mean.
 */
public final class AnyLoss implements Loss {
    public enum Metric { ACCURACY, FBETA, GMEAN, BALANCED_ACCURACY }

    private final String name;
    private final Metric metric;
    private final double amplification;
    private final double beta;

    public AnyLoss(String name, Metric metric, double amplification, double beta) {
        this.name = name;
        this.metric = metric;
        this.amplification = amplification;
        this.beta = beta;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
        Ops s = tf.withSubScope(name);
        LossOps.Columns<T> c = LossOps.columns(s, labels, logits, numClasses);
        Operand<T> a = s.math.sigmoid(s.math.mul(LossOps.scalar(s, amplification, logits),
                s.math.sub(c.p(), LossOps.scalar(s, 0.5, logits))));
        SoftConfusion<T> cm = SoftConfusion.amplified(s, c.y(), a);
        Operand<T> m = switch (metric) {
            case ACCURACY -> cm.accuracy(s);
            case FBETA -> cm.fBeta(s, beta);
            case GMEAN -> s.math.sqrt(s.math.add(s.math.mul(cm.truePositiveRate(s), cm.trueNegativeRate(s)),
                    LossOps.scalar(s, LossOps.EPSILON, logits)));
            case BALANCED_ACCURACY -> s.math.mul(s.math.add(cm.truePositiveRate(s), cm.trueNegativeRate(s)),
                    LossOps.scalar(s, 0.5, logits));
        };
        return LossOps.oneMinus(s, LossOps.mean(s, m));
    }
}
