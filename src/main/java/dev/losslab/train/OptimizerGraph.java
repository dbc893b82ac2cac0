package dev.losslab.train;

import dev.losslab.recipe.Optimizer;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One optimizer step as TF ops, in Keras 3's order (keras/src/optimizers/base_optimizer.py, {@code apply}) in
 * float32: gradients are clipped, then the decoupled weight decay {@code v -= v * wd * lr} is applied, then the
 * optimizer's own {@link Optimizer#update} (its slots and {@code update_step}) updates each variable. The learning
 * rate and the step number ({@code iterations + 1}) are fed each step, so schedules and ReduceLROnPlateau are
 * evaluated in Java.
 *
 * <p>Variables are updated in place and the backward pass reads them, so no update starts before every
 * gradient is computed.
 */
final class OptimizerGraph {
    private OptimizerGraph() {
    }

    /**
     * The step op for {@code loss} over {@code vars}.
     *
     * @param lr        the step's learning rate (float32 scalar)
     * @param localStep the step's number, {@code iterations + 1} (float32 scalar; Adam's and Nadam's powers)
     */
    static Op build(Ops tf, Optimizer o, Operand<TFloat32> loss, List<Variable<TFloat32>> vars, Operand<TFloat32> lr,
                    Operand<TFloat32> localStep) {
        Ops s = tf.withSubScope(o.scopeName());
        var grads = s.gradients(loss, vars);
        List<Op> gradientsDone = new ArrayList<>();
        List<Operand<TFloat32>> g = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            var done = s.identity(grads.<TFloat32>dy(i));
            gradientsDone.add(done);
            g.add(done);
        }
        Ops afterGradients = s.withControlDependencies(gradientsDone);
        g = clip(afterGradients, o, g);
        List<Op> decayed = new ArrayList<>();
        if (o.weightDecay() != null) {
            var factor = afterGradients.math.mul(lr, s.constant(o.weightDecay().floatValue()));
            for (Variable<TFloat32> v : vars) {
                decayed.add(afterGradients.assignSub(v, afterGradients.math.mul(v, factor)));
            }
        }
        Ops update = decayed.isEmpty() ? afterGradients : afterGradients.withControlDependencies(decayed);
        return o.update(s, update, vars, g, lr, localStep);
    }

    /** Keras' {@code _clip_gradients}: tf.clip_by_norm per gradient, clip_by_global_norm, or clip by value. */
    static List<Operand<TFloat32>> clip(Ops tf, Optimizer o, List<Operand<TFloat32>> g) {
        List<Operand<TFloat32>> out = new ArrayList<>();
        if (o.clipnorm() != null) {
            var c = tf.constant(o.clipnorm().floatValue());
            for (var x : g) {
                var l2sum = tf.reduceSum(tf.math.square(x), allAxes(tf, x), org.tensorflow.op.core.ReduceSum.keepDims(true));
                var positive = tf.math.greater(l2sum, tf.constant(0f));
                var safe = tf.select(positive, l2sum, tf.onesLike(l2sum));
                var norm = tf.select(positive, tf.math.sqrt(safe), l2sum);
                out.add(tf.math.div(tf.math.mul(x, c), tf.math.maximum(norm, c)));
            }
        } else if (o.globalClipnorm() != null) {
            var c = tf.constant(o.globalClipnorm().floatValue());
            Operand<TFloat32> sum = null;
            for (var x : g) {
                var sq = tf.reduceSum(tf.math.square(x), allAxes(tf, x));
                sum = sum == null ? sq : tf.math.add(sum, sq);
            }
            var norm = tf.math.sqrt(sum);
            var one = tf.constant(1f);
            var scaleFinite = tf.math.mul(c, tf.math.minimum(tf.math.div(one, norm), tf.math.div(one, c)));
            var scale = tf.math.add(scaleFinite, tf.math.sub(norm, norm));
            for (var x : g) {
                out.add(tf.math.mul(x, scale));
            }
        } else if (o.clipvalue() != null) {
            var hi = tf.constant(o.clipvalue().floatValue());
            var lo = tf.constant(-o.clipvalue().floatValue());
            for (var x : g) {
                out.add(tf.clipByValue(x, lo, hi));
            }
        } else {
            return g;
        }
        return out;
    }

    private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
        return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
    }
}
