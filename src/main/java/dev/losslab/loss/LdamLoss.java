package dev.losslab.loss;

import dev.losslab.network.layers.NormedDenseLayer;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * LDAM, the label-distribution-aware margin loss (Cao, Wei, Gaidon, Arechiga, Ma, NeurIPS 2019, eq.
 * 13): cross-entropy of s (z - Delta_y e_y), i.e. the true class's logit lowered by its margin
 * Delta_k = C / n_k^{1/4} before the softmax, with C set so the largest margin is 0.5 and the logit
 * scale s = 30 (the paper's values; n_k from the training split). The paper applies it to cosine
 * logits of a normalised last layer ({@link NormedDenseLayer}, {@code NormedDense}
 * in a layer list); here it is applied to the network's logits as they are, so on a plain Dense output s = 30
 * can diverge under a large learning rate. K = 2
 * uses the two-class softmax of [0, z].
 *
 * <p>DRW (sec. 3.2, deferred re-weighting): with {@code drwEpoch} = E > 0, training switches to the
 * class-balanced weights of Cui et al. 2019 (beta 0.9999, {@link ClassBalancedWeights}) from epoch
 * E on: the loss is then the batch mean of w_y times the sample's term. Before E, and for validation
 * loss, the weights are 1.
 *
 * <p>Cao et al.'s ablations (Table 2) are this loss without margins: {@code crossentropy_drw} (margin 0, scale 1:
 * cross-entropy with deferred re-weighting, "CE-DRW") and {@code normed_crossentropy} (margin 0, scale s: the
 * cross-entropy of s cos(theta) on a {@code NormedDense} classifier, which separates LDAM's normalised head from
 * its margins).
 */
public final class LdamLoss implements Loss, DeferredReweighting {
    public static final String NAME = "ldam";
    /** Cross-entropy with deferred re-weighting (Cao et al. 2019, Table 2's CE-DRW): margin 0, scale 1. */
    public static final String CE_DRW = "crossentropy_drw";
    /** Cross-entropy of s times the logits, for a NormedDense head's cosines (Cao et al. 2019's normalised CE). */
    public static final String NORMED_CE = "normed_crossentropy";
    private final String name;
    private final double[] margins;
    private final double scale;
    private final int drwEpoch;
    private final double[] drwWeights;

    public LdamLoss(int[] counts, double maxMargin, double scale, int drwEpoch) {
        this(NAME, counts, maxMargin, scale, drwEpoch);
    }

    /** The loss under {@code name}; {@code maxMargin} 0 leaves the logits' margins out (the ablations above). */
    public LdamLoss(String name, int[] counts, double maxMargin, double scale, int drwEpoch) {
        this.name = name;
        this.margins = counts == null || maxMargin == 0 ? null : margins(counts, maxMargin);
        this.scale = scale;
        this.drwEpoch = drwEpoch;
        this.drwWeights = ClassBalancedWeights.of(counts, 0.9999);
    }

    /** Delta_k = C / n_k^{1/4} with the largest equal to {@code maxMargin}. */
    static double[] margins(int[] counts, double maxMargin) {
        double[] m = new double[counts.length];
        double max = 0;
        for (int c = 0; c < counts.length; c++) {
            m[c] = 1 / Math.pow(Math.max(counts[c], 1), 0.25);
            max = Math.max(max, m[c]);
        }
        for (int c = 0; c < counts.length; c++) {
            m[c] *= maxMargin / max;
        }
        return m;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeferredReweighting deferredReweighting() {
        return this;
    }

    @Override
    public int reweightFromEpoch() {
        return drwWeights == null ? 0 : drwEpoch;
    }

    @Override
    public double[] classWeights() {
        return drwWeights;
    }

    @Override
    public <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
        Operand<T> ones = tf.dtypes.cast(tf.fill(tf.constant(new int[] {numClasses}), tf.constant(1f)), logits.type());
        return computeWeighted(tf, labels, logits, numClasses, ones);
    }

    @Override
    public <T extends TNumber> Operand<T> computeWeighted(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses,
                                                         Operand<T> weights) {
        Ops s = tf.withSubScope(name);
        Operand<T> z = numClasses == 2 ? s.concat(List.of(s.zerosLike(logits), logits), s.constant(1)) : logits;
        if (margins != null) {
            // lower the true class's logit by its margin: z - y * Delta
            z = s.math.sub(z, s.math.mul(labels, LossOps.vector(s, margins, logits)));
        }
        z = s.math.mul(z, LossOps.scalar(s, scale, logits));
        Operand<T> perSample = s.math.neg(s.reduceSum(s.math.mul(labels, s.nn.logSoftmax(z)), s.constant(1)));
        Operand<T> w = s.reduceSum(s.math.mul(labels, weights), s.constant(1));
        return LossOps.mean(s, s.math.mul(w, perSample));
    }
}
