package dev.losslab.loss;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.family.TNumber;

/** Graph-op building blocks shared by the losses, generic over the number type. */
final class LossOps {
    /** Guards divisions by soft counts that can be 0 (the notebook's Keras epsilon). */
    static final double EPSILON = 1e-7;

    private LossOps() {
    }

    static <T extends TNumber> Operand<T> scalar(Ops tf, double value, Operand<T> like) {
        return tf.dtypes.cast(tf.constant(value), like.type());
    }

    /** A constant vector {@code [n]} of the type of {@code like}. */
    static <T extends TNumber> Operand<T> vector(Ops tf, double[] values, Operand<T> like) {
        return tf.dtypes.cast(tf.constant(values), like.type());
    }

    /** Class probabilities {@code [B, K]}: {@code [1 - sigmoid(x), sigmoid(x)]} for K = 2, softmax otherwise. */
    static <T extends TNumber> Operand<T> probabilities(Ops tf, Operand<T> logits, int numClasses) {
        if (numClasses == 2) {
            Operand<T> p1 = tf.math.sigmoid(logits);
            return tf.concat(List.of(oneMinus(tf, p1), p1), tf.constant(1));
        }
        return tf.nn.softmax(logits);
    }

    /**
     * Labels and probabilities as one-vs-rest columns {@code [B, C]}: for K = 2 the single column of
     * class 1 (the positive, minority class, as the binary metrics are defined), for K > 2 all K
     * columns (each class against the rest; the loss then takes the macro mean over columns).
     */
    record Columns<T extends TNumber>(Operand<T> y, Operand<T> p) {
    }

    static <T extends TNumber> Columns<T> columns(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
        if (numClasses == 2) {
            return new Columns<>(positiveColumn(tf, labels), tf.math.sigmoid(logits));
        }
        return new Columns<>(labels, tf.nn.softmax(logits));
    }

    /** K = 2: the one-hot labels' class-1 column {@code labels[:, 1:2]}, shape {@code [B, 1]} like the single logit. */
    static <T extends TNumber> Operand<T> positiveColumn(Ops tf, Operand<T> labels) {
        return tf.slice(labels, tf.constant(new int[] {0, 1}), tf.constant(new int[] {-1, 1}));
    }

    /** Sum over the batch (axis 0): per-column soft counts {@code [C]}. */
    static <T extends TNumber> Operand<T> count(Ops tf, Operand<T> x) {
        return tf.reduceSum(x, tf.constant(0));
    }

    static <T extends TNumber> Operand<T> mean(Ops tf, Operand<T> x) {
        return tf.math.mean(x, tf.range(tf.constant(0), tf.rank(x), tf.constant(1)));
    }

    /** {@code 1 - x} by broadcasting a scalar (OnesLike has no registered gradient in TF's C++ API). */
    static <T extends TNumber> Operand<T> oneMinus(Ops tf, Operand<T> x) {
        return tf.math.sub(scalar(tf, 1, x), x);
    }

    /** {@code a / (b + eps)}. */
    static <T extends TNumber> Operand<T> safeDiv(Ops tf, Operand<T> a, Operand<T> b) {
        return tf.math.div(a, tf.math.add(b, scalar(tf, EPSILON, b)));
    }

    static <T extends TNumber> Operand<TBool> isPositive(Ops tf, Operand<T> y) {
        return tf.math.greater(y, scalar(tf, 0.5, y));
    }
}
