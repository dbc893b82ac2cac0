package dev.losslab.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Surrogate F-beta loss (Lee, Yang and Yoo, seed 001; only its abstract is public here): per sample
 * l(y, p) = -y log(p + eps) + (1 - y) log(beta^2 pi / (1 - pi) + p), pi the positive fraction. The
 * formula is the one two independent public implementations compute (no official code was found),
 * so it is unconfirmed against the paper. K = 2: p = sigmoid of the class-1 logit, pi the class-1
 * share of the training split; K > 2: one-vs-rest per softmax column with pi_k, averaged over the
 * columns. Reductions: {@code mean} (batch mean) or {@code class_mean} (the mean over the batch's
 * positives plus the mean over its negatives, per column, so the rare class weighs as much as the
 * common one, as the F-beta gradient does under imbalance). Without counts pi = 1/2 (1/K).
 */
public final class SurrogateFbetaLoss implements Loss {
    public static final String NAME = "surrogate_fbeta";
    private final double beta;
    private final double[] pi;
    private final boolean classMean;

    /** @param pi positive share per column: [pi_1] for K = 2, [pi_0..pi_{K-1}] otherwise; null: uniform */
    public SurrogateFbetaLoss(double beta, double[] pi, boolean classMean) {
        this.beta = beta;
        this.pi = pi;
        this.classMean = classMean;
    }

    /** Per-column positive shares from class counts (K = 2: the class-1 share only). */
    static double[] shares(int[] counts) {
        double[] s = ClassFrequencies.shares(counts);
        return s != null && s.length == 2 ? new double[] {s[1]} : s;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
        Ops s = tf.withSubScope(NAME);
        LossOps.Columns<T> c = LossOps.columns(s, labels, logits, numClasses);
        int columns = numClasses == 2 ? 1 : numClasses;
        double[] offset = new double[columns];
        for (int k = 0; k < columns; k++) {
            double share = pi != null ? pi[k] : 1.0 / (numClasses == 2 ? 2 : numClasses);
            offset[k] = beta * beta * share / (1 - share);
        }
        Operand<T> pos = s.math.neg(s.math.mul(c.y(), s.math.log(s.math.add(c.p(), LossOps.scalar(s, LossOps.EPSILON, c.p())))));
        Operand<T> neg = s.math.mul(LossOps.oneMinus(s, c.y()), s.math.log(s.math.add(c.p(), LossOps.vector(s, offset, c.p()))));
        if (!classMean) {
            return LossOps.mean(s, s.math.add(pos, neg));
        }
        // per column: mean over positives + mean over negatives (a side absent from the batch adds 0)
        Operand<T> nPos = LossOps.count(s, c.y());
        Operand<T> nNeg = LossOps.count(s, LossOps.oneMinus(s, c.y()));
        Operand<T> one = LossOps.scalar(s, 1, nPos);
        Operand<T> perColumn = s.math.add(s.math.div(LossOps.count(s, pos), s.math.maximum(nPos, one)),
                s.math.div(LossOps.count(s, neg), s.math.maximum(nNeg, one)));
        return LossOps.mean(s, perColumn);
    }
}
