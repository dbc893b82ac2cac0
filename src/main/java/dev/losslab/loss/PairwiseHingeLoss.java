package dev.losslab.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * The notebook's AUC-ROC surrogate ("Loss Functions" section: a pairwise / margin-based hinge loss
 * that penalises similar probabilities for pairs of samples from different classes): the mean over
 * every (positive i, negative j) pair in the batch of {@code max(0, margin - (p_i - p_j))}.
 *
 * <p>K = 2: p = P(class 1), positives are class 1. K > 2 (the notebook's multiclass adaptation,
 * one-vs-rest): the same for each class k with p[:, k], averaged over the classes that have both
 * positives and negatives in the batch. A batch with no such class gives 0.
 */
public final class PairwiseHingeLoss implements Loss {
    public static final String NAME = "pairwise_hinge";
    private final double margin;

    public PairwiseHingeLoss(double margin) {
        this.margin = margin;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
        Ops s = tf.withSubScope(NAME);
        LossOps.Columns<T> c = LossOps.columns(s, labels, logits, numClasses);
        // [B, 1, C] against [1, B, C]: element (i, j, k) compares sample i with sample j for class k
        Operand<T> pi = s.expandDims(c.p(), s.constant(1));
        Operand<T> pj = s.expandDims(c.p(), s.constant(0));
        Operand<T> yi = s.expandDims(c.y(), s.constant(1));
        Operand<T> notYj = s.expandDims(LossOps.oneMinus(s, c.y()), s.constant(0));
        Operand<T> pairs = s.math.mul(yi, notYj);
        Operand<T> hinge = s.nn.relu(s.math.sub(LossOps.scalar(s, margin, logits), s.math.sub(pi, pj)));
        Operand<TInt32> axes = s.constant(new int[] {0, 1});
        Operand<T> pairCount = s.reduceSum(pairs, axes);
        Operand<T> perClass = s.math.div(s.reduceSum(s.math.mul(pairs, hinge), axes),
                s.math.maximum(pairCount, LossOps.scalar(s, 1, pairCount)));
        Operand<T> hasPairs = s.dtypes.cast(s.math.greater(pairCount, LossOps.scalar(s, 0, pairCount)), logits.type());
        Operand<T> classes = LossOps.count(s, hasPairs);
        return s.math.div(LossOps.count(s, s.math.mul(perClass, hasPairs)), s.math.maximum(classes, LossOps.scalar(s, 1, classes)));
    }
}
