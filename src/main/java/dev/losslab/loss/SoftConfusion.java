package dev.losslab.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.family.TNumber;

/**
 * Soft confusion-matrix counts per one-vs-rest column ({@code [C]} each), summed over the batch,
 * and the metrics built from them.
 */
record SoftConfusion<T extends TNumber>(Operand<T> tp, Operand<T> fn, Operand<T> fp, Operand<T> tn) {

    /**
     * Tsoi et al.'s soft sets (eq. 3 or the masked form) at every threshold at once: counts of
     * shape {@code [C, T]} for columns {@code [B, C]} and {@code taus} {@code [T]}.
     */
    static <T extends TNumber> SoftConfusion<T> heaviside(Ops tf, LossOps.Columns<T> c, HeavisideApproximation h,
                                                          double[] taus, SoftSetForm form) {
        Operand<T> y = tf.expandDims(c.y(), tf.constant(-1));
        Operand<T> p = tf.expandDims(c.p(), tf.constant(-1));
        Operand<T> hp = h.apply(tf, p, taus);
        Operand<T> notH = LossOps.oneMinus(tf, hp);
        if (form == SoftSetForm.MASKED) {
            Operand<T> notY = LossOps.oneMinus(tf, y);
            return new SoftConfusion<>(LossOps.count(tf, tf.math.mul(hp, y)), LossOps.count(tf, tf.math.mul(notH, y)),
                    LossOps.count(tf, tf.math.mul(hp, notY)), LossOps.count(tf, tf.math.mul(notH, notY)));
        }
        Operand<TBool> pos = LossOps.isPositive(tf, y);
        Operand<TBool> neg = tf.math.logicalNot(pos);
        Operand<TBool> below = tf.math.less(p, LossOps.vector(tf, taus, p));
        Operand<TBool> atOrAbove = tf.math.logicalNot(below);
        Operand<T> tp = tf.select(tf.math.logicalOr(pos, below), hp, notH);
        Operand<T> fn = tf.select(tf.math.logicalOr(pos, atOrAbove), notH, hp);
        Operand<T> fp = tf.select(tf.math.logicalOr(neg, below), hp, notH);
        Operand<T> tn = tf.select(tf.math.logicalOr(neg, atOrAbove), notH, hp);
        return new SoftConfusion<>(LossOps.count(tf, tp), LossOps.count(tf, fn), LossOps.count(tf, fp), LossOps.count(tf, tn));
    }

    /** AnyLoss' confusion matrix (Han et al., eq. 6) from the amplified probabilities A. */
    static <T extends TNumber> SoftConfusion<T> amplified(Ops tf, Operand<T> y, Operand<T> a) {
        Operand<T> notY = LossOps.oneMinus(tf, y);
        Operand<T> notA = LossOps.oneMinus(tf, a);
        return new SoftConfusion<>(LossOps.count(tf, tf.math.mul(y, a)), LossOps.count(tf, tf.math.mul(y, notA)),
                LossOps.count(tf, tf.math.mul(notY, a)), LossOps.count(tf, tf.math.mul(notY, notA)));
    }

    Operand<T> accuracy(Ops tf) {
        Operand<T> right = tf.math.add(tp, tn);
        return LossOps.safeDiv(tf, right, tf.math.add(right, tf.math.add(fp, fn)));
    }

    /** {@code (1 + b^2) TP / ((1 + b^2) TP + b^2 FN + FP)}. */
    Operand<T> fBeta(Ops tf, double beta) {
        double b2 = beta * beta;
        Operand<T> weightedTp = tf.math.mul(LossOps.scalar(tf, 1 + b2, tp), tp);
        Operand<T> denominator = tf.math.add(weightedTp, tf.math.add(tf.math.mul(LossOps.scalar(tf, b2, fn), fn), fp));
        return LossOps.safeDiv(tf, weightedTp, denominator);
    }

    Operand<T> truePositiveRate(Ops tf) {
        return LossOps.safeDiv(tf, tp, tf.math.add(tp, fn));
    }

    Operand<T> trueNegativeRate(Ops tf) {
        return LossOps.safeDiv(tf, tn, tf.math.add(tn, fp));
    }

    Operand<T> falsePositiveRate(Ops tf) {
        return LossOps.safeDiv(tf, fp, tf.math.add(fp, tn));
    }
}
