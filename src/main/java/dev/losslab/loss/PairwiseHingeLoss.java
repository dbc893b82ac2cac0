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
 * <p>K = 2: p = P(class 1), positives are class 1. The notebook says only that its losses were
 * "adapted to suit the multiclass problem"; two readings for K > 2 ({@link Multiclass}):
 * <ul>
 * <li>{@code ovr} (one-vs-rest, pairs across samples): the binary loss for each class k with
 * p[:, k], averaged over the classes that have both positives and negatives in the batch (a batch
 * with no such class gives 0);
 * <li>{@code crammer_singer} (pairs within a sample, Crammer and Singer 2001, eq. 4; Keras'
 * {@code categorical_hinge}): the batch mean of max(0, margin + max_{k != y} p_k - p_y).
 * </ul>
 */
public final class PairwiseHingeLoss implements Loss {
    public static final String NAME = "pairwise_hinge";

    /** How the hinge pairs probabilities when K > 2. */
    public enum Multiclass {
        OVR, CRAMMER_SINGER;

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final double margin;
    private final Multiclass multiclass;

    public PairwiseHingeLoss(double margin) {
        this(margin, Multiclass.OVR);
    }

    public PairwiseHingeLoss(double margin, Multiclass multiclass) {
        this.margin = margin;
        this.multiclass = multiclass;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
        Ops s = tf.withSubScope(NAME);
        if (numClasses > 2 && multiclass == Multiclass.CRAMMER_SINGER) {
            return crammerSinger(s, labels, logits);
        }
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

    /** Batch mean of max(0, margin + max_{k != y} p_k - p_y), p = softmax(logits), y one-hot. */
    private <T extends TNumber> Operand<T> crammerSinger(Ops s, Operand<T> labels, Operand<T> logits) {
        Operand<T> p = s.nn.softmax(logits);
        Operand<TInt32> classAxis = s.constant(1);
        Operand<T> own = s.reduceSum(s.math.mul(labels, p), classAxis);
        // probabilities are >= 0, so zeroing the true class leaves the max over the others
        Operand<T> rival = s.reduceMax(s.math.mul(LossOps.oneMinus(s, labels), p), classAxis);
        return LossOps.mean(s, s.nn.relu(s.math.add(LossOps.scalar(s, margin, logits), s.math.sub(rival, own))));
    }
}
