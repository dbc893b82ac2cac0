package dev.losslab.train;

import dev.losslab.tune.AbsoluteThresholdRule;
import dev.losslab.tune.ArgmaxRule;
import dev.losslab.tune.BinaryThresholdRule;
import dev.losslab.tune.DecisionRule;
import dev.losslab.tune.LogitAdjustmentRule;
import dev.losslab.tune.RelativeThresholdRule;
import dev.losslab.tune.TreeRule;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Slice;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * A tuned {@link DecisionRule} as TensorFlow ops, so the rule travels inside the SavedModel (its {@code decide}
 * signature) and any TensorFlow runtime decides as {@code losslab predict} does. Each rule computes what its
 * Java {@code predict} computes, in the same precision, so the two agree row for row:
 * <ul>
 * <li>binary threshold: {@code p1 >= t} with the double t, compared in float32 against the smallest float not
 * below t (for a float p, {@code p >= t} exactly when {@code p >= ceil_float(t)});</li>
 * <li>absolute and relative thresholds, logit adjustment: the class scores in float64 ({@code p - t},
 * {@code p * (1/t)}, {@code log(max(p, 1e-30)) - tau log pi}) and ArgMax, whose ties go to the lowest index as
 * the Java loops' strict {@code >} does;</li>
 * <li>the tree: nested selects over {@code (double) p[f] <= threshold}, Smile's ordinal split.</li>
 * </ul>
 * The logit adjustment's log is TensorFlow's, not Java's: the two may differ in the last bit, which moves a
 * decision only when two classes' scores agree to about 1e-16.
 */
public final class DecisionGraph {
    private DecisionGraph() {
    }

    /** The class index {@code [-1]} (int64, the output position 0..K-1) the rule picks for each row of {@code probabilities [-1, K]}. */
    public static Operand<TInt64> classIndices(Ops tf, Operand<TFloat32> probabilities, DecisionRule rule) {
        int k = rule.numClasses();
        if (rule instanceof ArgmaxRule) {
            return k == 2 ? binary(tf, probabilities, 0.5) : tf.math.argMax(probabilities, tf.constant(1));
        }
        if (rule instanceof BinaryThresholdRule b) {
            return binary(tf, probabilities, b.threshold());
        }
        Operand<TFloat64> p = tf.dtypes.cast(probabilities, TFloat64.class);
        if (rule instanceof AbsoluteThresholdRule a) {
            return tf.math.argMax(tf.math.sub(p, tf.constant(a.thresholds())), tf.constant(1));
        }
        if (rule instanceof RelativeThresholdRule r) {
            double[] inverse = new double[k];
            for (int c = 0; c < k; c++) {
                inverse[c] = 1 / r.thresholds()[c]; // as ThresholdArgmax.weights: multiply by the reciprocal
            }
            return tf.math.argMax(tf.math.mul(p, tf.constant(inverse)), tf.constant(1));
        }
        if (rule instanceof LogitAdjustmentRule la) {
            double[] shift = new double[k];
            for (int c = 0; c < k; c++) {
                shift[c] = la.tau() * Math.log(Math.max(la.priors()[c], 1e-12));
            }
            Operand<TFloat64> logP = tf.math.log(tf.math.maximum(p, tf.constant(1e-30)));
            return tf.math.argMax(tf.math.sub(logP, tf.constant(shift)), tf.constant(1));
        }
        if (rule instanceof TreeRule tree) {
            Operand<TInt64> ids = node(tf, p, tree.nodes(), 0);
            // a one-leaf tree is a scalar: give it the batch's shape
            return tf.math.add(tf.zerosLike(tf.dtypes.cast(column(tf, p, 0), TInt64.class)), ids);
        }
        throw new IllegalArgumentException("no graph form for rule " + rule.getClass().getSimpleName());
    }

    /** The names of the classes at {@code classIndices}, one string per row. */
    public static Operand<TString> classNames(Ops tf, Operand<TInt64> classIndices, List<String> names) {
        return tf.gather(tf.constant(java.nio.charset.StandardCharsets.UTF_8, names.toArray(String[]::new)), classIndices,
                tf.constant(0));
    }

    /** The dataset's class ids ({@code ids[index]}, as the model's metadata lists them) of the classes at {@code classIndices}. */
    public static Operand<TInt64> classIds(Ops tf, Operand<TInt64> classIndices, int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tf.gather(tf.constant(l), classIndices, tf.constant(0));
    }

    private static Operand<TInt64> binary(Ops tf, Operand<TFloat32> probabilities, double threshold) {
        Operand<TBool> positive = tf.math.greaterEqual(column(tf, probabilities, 1), tf.constant(ceilToFloat(threshold)));
        return tf.dtypes.cast(positive, TInt64.class);
    }

    /** The smallest float not below {@code t}: for every float p, {@code p >= t} iff {@code p >= ceilToFloat(t)}. */
    static float ceilToFloat(double t) {
        float f = (float) t;
        return (double) f < t ? Math.nextUp(f) : f;
    }

    private static Operand<TInt64> node(Ops tf, Operand<TFloat64> p, List<TreeRule.Node> nodes, int at) {
        TreeRule.Node n = nodes.get(at);
        if (n.feature() < 0) {
            return tf.constant((long) n.label());
        }
        Operand<TBool> goLeft = tf.math.lessEqual(column(tf, p, n.feature()), tf.constant(n.threshold()));
        return tf.select(goLeft, node(tf, p, nodes, n.left()), node(tf, p, nodes, n.right()));
    }

    /** Column {@code c} of {@code [-1, K]} as {@code [-1]}. */
    private static <T extends org.tensorflow.types.family.TNumber> Operand<T> column(Ops tf, Operand<T> x, int c) {
        Slice<T> slice = tf.slice(x, tf.constant(new int[] {0, c}), tf.constant(new int[] {-1, 1}));
        return tf.reshape(slice, tf.constant(new int[] {-1}));
    }
}
