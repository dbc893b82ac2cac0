package dev.losslab.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Focal loss (Lin, Goyal, Girshick, He, Dollar, "Focal Loss for Dense Object Detection", ICCV 2017,
 * eq. 5): {@code FL(p_t) = -alpha_t (1 - p_t)^gamma log(p_t)}, mean over the batch; gamma = 2 and
 * alpha = 0.25 are the paper's defaults. A widely used baseline for imbalanced data.
 *
 * <p>K = 2: p_t is sigmoid(x) for positives and 1 - sigmoid(x) for negatives, alpha_t = alpha for
 * positives and 1 - alpha for negatives, log p_t = -softplus(-x) or -softplus(x) from the logit.
 * K > 2 (multiclass adaptation): {@code -sum_k y_k (1 - p_k)^gamma log p_k} with log p from
 * log-softmax; alpha is not used (a constant factor for all classes).
 */
public final class FocalLoss implements Loss {
    public static final String NAME = "focal";
    private final String name;
    private final double gamma;
    private final double alpha;
    private final double[] classWeights;

    public FocalLoss(double gamma, double alpha) {
        this(NAME, gamma, alpha, null);
    }

    /**
     * With {@code classWeights} (one per class) the class weight w_y replaces alpha_t for K = 2 and
     * multiplies each sample's term for K > 2: Cui et al. 2019's class-balanced focal loss with
     * {@link ClassBalancedWeights}.
     */
    public FocalLoss(String name, double gamma, double alpha, double[] classWeights) {
        this.name = name;
        this.gamma = gamma;
        this.alpha = alpha;
        this.classWeights = classWeights;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
        Ops s = tf.withSubScope(name);
        Operand<T> g = LossOps.scalar(s, gamma, logits);
        if (numClasses == 2) {
            Operand<T> y = LossOps.positiveColumn(s, labels);
            Operand<T> notY = LossOps.oneMinus(s, y);
            Operand<T> logPt = s.math.neg(s.math.add(
                    s.math.mul(y, CrossEntropyLoss.softplus(s, s.math.neg(logits))),
                    s.math.mul(notY, CrossEntropyLoss.softplus(s, logits))));
            Operand<T> pt = s.math.exp(logPt);
            Operand<T> alphaT = classWeights != null
                    ? s.math.add(s.math.mul(y, LossOps.scalar(s, classWeights[1], y)),
                    s.math.mul(notY, LossOps.scalar(s, classWeights[0], y)))
                    : s.math.add(s.math.mul(y, LossOps.scalar(s, alpha, y)),
                    s.math.mul(notY, LossOps.scalar(s, 1 - alpha, y)));
            Operand<T> perSample = s.math.neg(s.math.mul(s.math.mul(alphaT, s.math.pow(LossOps.oneMinus(s, pt), g)), logPt));
            return LossOps.mean(s, perSample);
        }
        Operand<T> logP = s.nn.logSoftmax(logits);
        Operand<T> weight = s.math.pow(LossOps.oneMinus(s, s.math.exp(logP)), g);
        Operand<T> perSample = s.math.neg(s.reduceSum(s.math.mul(labels, s.math.mul(weight, logP)), s.constant(1)));
        if (classWeights != null) {
            perSample = s.math.mul(perSample, s.reduceSum(s.math.mul(labels, LossOps.vector(s, classWeights, logits)),
                    s.constant(1)));
        }
        return LossOps.mean(s, perSample);
    }
}
