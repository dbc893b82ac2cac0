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
 * One optimizer step as TF ops, with Keras 3's update rules (keras/src/optimizers/*.py, {@code update_step}) in
 * float32: gradients are clipped, then the decoupled weight decay {@code v -= v * wd * lr} is applied, then each
 * variable is updated, in Keras' order. The learning rate and the step number ({@code iterations + 1}) are fed
 * each step, so schedules and ReduceLROnPlateau are evaluated in Java. Plain Adam (no amsgrad, decay or clipping)
 * is TF's {@code ApplyAdam} kernel with its beta powers as variables, the update losslab always used, so a run
 * configured as before trains bit for bit as before.
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
        Ops s = tf.withSubScope(o.isPlainAdam() ? "adam" : o.kind().toLowerCase(java.util.Locale.ROOT));
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
        return switch (o.kind()) {
            case "SGD" -> sgd(s, update, o, vars, g, lr);
            case "Adam", "AdamW" -> o.amsgrad() ? adam(s, update, o, vars, g, lr, localStep)
                    : applyAdam(s, update, o, vars, g, lr);
            case "RMSprop" -> rmsprop(s, update, o, vars, g, lr);
            case "Adagrad" -> adagrad(s, update, o, vars, g, lr);
            case "Nadam" -> nadam(s, update, o, vars, g, lr, localStep);
            default -> throw new IllegalArgumentException("optimizer " + o.kind());
        };
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

    private static Variable<TFloat32> slot(Ops s, String name, int i, Variable<TFloat32> like, float initial) {
        var zeros = s.zerosLike(like);
        return s.withName(name + i).variable(initial == 0 ? zeros : s.math.add(zeros, s.constant(initial)));
    }

    private static Op done(Ops s, List<Op> updates) {
        return s.withControlDependencies(updates).withName("step").noOp();
    }

    private static Op sgd(Ops s, Ops u, Optimizer o, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g,
                          Operand<TFloat32> lr) {
        List<Op> updates = new ArrayList<>();
        var momentum = s.constant((float) o.momentum());
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            var step = u.math.mul(g.get(i), lr);
            if (o.momentum() == 0) {
                updates.add(u.assignSub(v, step));
                continue;
            }
            var m = slot(s, "m", i, v, 0);
            var newM = u.math.sub(u.math.mul(m, momentum), step);
            var assignM = u.assign(m, newM);
            Ops after = u.withControlDependencies(List.<Op>of(assignM));
            updates.add(after.assignAdd(v, o.nesterov() ? after.math.sub(after.math.mul(newM, momentum), step) : newM));
        }
        return done(s, updates);
    }

    /** TF's ApplyAdam (Keras' Adam update; bias correction folded into the step size), beta powers as variables. */
    private static Op applyAdam(Ops s, Ops u, Optimizer o, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g,
                                Operand<TFloat32> lr) {
        var b1 = s.constant((float) o.beta1());
        var b2 = s.constant((float) o.beta2());
        var eps = s.constant((float) o.epsilon());
        // beta^t for the bias correction: start at beta (t = 1 on the first step), advanced after each step
        var b1Power = s.withName("beta1_power").variable(s.constant((float) o.beta1()));
        var b2Power = s.withName("beta2_power").variable(s.constant((float) o.beta2()));
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            var m = s.withName("m" + i).variable(s.zerosLike(v));
            var w = s.withName("v" + i).variable(s.zerosLike(v));
            updates.add(u.train.applyAdam(v, m, w, b1Power, b2Power, lr, b1, b2, eps, g.get(i)));
        }
        Ops after = s.withControlDependencies(updates);
        var nextB1 = after.assign(b1Power, after.math.mul(b1Power, b1));
        var nextB2 = after.assign(b2Power, after.math.mul(b2Power, b2));
        return s.withControlDependencies(List.<Op>of(nextB1, nextB2)).withName("step").noOp();
    }

    /** Keras' Adam update_step written out (used for amsgrad): alpha = lr sqrt(1 - b2^t) / (1 - b1^t). */
    private static Op adam(Ops s, Ops u, Optimizer o, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g,
                           Operand<TFloat32> lr, Operand<TFloat32> t) {
        var b1 = s.constant((float) o.beta1());
        var b2 = s.constant((float) o.beta2());
        var one = s.constant(1f);
        var b1Power = s.math.pow(b1, t);
        var b2Power = s.math.pow(b2, t);
        var alpha = s.math.div(s.math.mul(lr, s.math.sqrt(s.math.sub(one, b2Power))), s.math.sub(one, b1Power));
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            var m = slot(s, "m", i, v, 0);
            var w = slot(s, "v", i, v, 0);
            var gi = g.get(i);
            var newM = u.math.add(m, u.math.mul(u.math.sub(gi, m), s.constant((float) (1 - o.beta1()))));
            var newV = u.math.add(w, u.math.mul(u.math.sub(u.math.square(gi), w), s.constant((float) (1 - o.beta2()))));
            List<Op> slots = new ArrayList<>(List.of(u.assign(m, newM), u.assign(w, newV)));
            Operand<TFloat32> denomV = newV;
            if (o.amsgrad()) {
                var vHat = slot(s, "vhat", i, v, 0);
                var newHat = u.math.maximum(vHat, newV);
                slots.add(u.assign(vHat, newHat));
                denomV = newHat;
            }
            Ops after = u.withControlDependencies(slots);
            var delta = after.math.div(after.math.mul(newM, alpha),
                    after.math.add(after.math.sqrt(denomV), s.constant((float) o.epsilon())));
            updates.add(after.assignSub(v, delta));
        }
        return done(s, updates);
    }

    private static Op rmsprop(Ops s, Ops u, Optimizer o, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g,
                              Operand<TFloat32> lr) {
        var rho = s.constant((float) o.rho());
        var oneMinusRho = s.constant((float) (1 - o.rho()));
        var eps = s.constant((float) o.epsilon());
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            var gi = g.get(i);
            var velocity = slot(s, "velocity", i, v, 0);
            var newVel = u.math.add(u.math.mul(rho, velocity), u.math.mul(oneMinusRho, u.math.square(gi)));
            List<Op> slots = new ArrayList<>(List.of(u.assign(velocity, newVel)));
            Operand<TFloat32> denominator;
            if (o.centered()) {
                var avg = slot(s, "average_gradient", i, v, 0);
                var newAvg = u.math.add(u.math.mul(rho, avg), u.math.mul(oneMinusRho, gi));
                slots.add(u.assign(avg, newAvg));
                denominator = u.math.add(u.math.sub(newVel, u.math.square(newAvg)), eps);
            } else {
                denominator = u.math.add(newVel, eps);
            }
            var increment = u.math.div(u.math.mul(lr, gi), u.math.sqrt(denominator));
            Ops after = u.withControlDependencies(slots);
            if (o.momentum() > 0) {
                var mom = slot(s, "momentum", i, v, 0);
                var newMom = after.math.add(after.math.mul(s.constant((float) o.momentum()), mom), increment);
                var assignMom = after.assign(mom, newMom);
                updates.add(after.withControlDependencies(List.<Op>of(assignMom)).assignSub(v, newMom));
            } else {
                updates.add(after.assignSub(v, increment));
            }
        }
        return done(s, updates);
    }

    private static Op adagrad(Ops s, Ops u, Optimizer o, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g,
                              Operand<TFloat32> lr) {
        var eps = s.constant((float) o.epsilon());
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            var gi = g.get(i);
            var acc = slot(s, "accumulator", i, v, (float) o.initialAccumulator());
            var newAcc = u.math.add(acc, u.math.square(gi));
            Ops after = u.withControlDependencies(List.<Op>of(u.assign(acc, newAcc)));
            updates.add(after.assignSub(v, after.math.div(after.math.mul(lr, gi), after.math.sqrt(after.math.add(newAcc, eps)))));
        }
        return done(s, updates);
    }

    /** Keras' Nadam (Dozat 2016): momentum schedule u_t = b1 (1 - 0.5 * 0.96^t), its running product in a variable. */
    private static Op nadam(Ops s, Ops u, Optimizer o, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g,
                            Operand<TFloat32> lr, Operand<TFloat32> t) {
        var b1 = s.constant((float) o.beta1());
        var one = s.constant(1f);
        var half = s.constant(0.5f);
        var decay = s.constant(0.96f);
        var next = s.math.add(t, one);
        var uT = s.math.mul(b1, s.math.sub(one, s.math.mul(half, s.math.pow(decay, t))));
        var uT1 = s.math.mul(b1, s.math.sub(one, s.math.mul(half, s.math.pow(decay, next))));
        var uProduct = s.withName("u_product").variable(s.constant(1f));
        // Keras updates the product once per step, before the variables' updates read it
        var newProduct = u.math.mul(uProduct, uT);
        var assignProduct = u.assign(uProduct, newProduct);
        Ops w = u.withControlDependencies(List.<Op>of(assignProduct));
        var uProductT1 = w.math.mul(newProduct, uT1);
        var b2Power = s.math.pow(s.constant((float) o.beta2()), t);
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            var gi = g.get(i);
            var m = slot(s, "m", i, v, 0);
            var vel = slot(s, "v", i, v, 0);
            var newM = w.math.add(m, w.math.mul(w.math.sub(gi, m), s.constant((float) (1 - o.beta1()))));
            var newV = w.math.add(vel, w.math.mul(w.math.sub(w.math.square(gi), vel), s.constant((float) (1 - o.beta2()))));
            Ops after = w.withControlDependencies(List.<Op>of(w.assign(m, newM), w.assign(vel, newV)));
            var mHat = after.math.add(after.math.div(after.math.mul(uT1, newM), after.math.sub(one, uProductT1)),
                    after.math.div(after.math.mul(after.math.sub(one, uT), gi), after.math.sub(one, newProduct)));
            var vHat = after.math.div(newV, after.math.sub(one, b2Power));
            updates.add(after.assignSub(v, after.math.div(after.math.mul(mHat, lr),
                    after.math.add(after.math.sqrt(vHat), s.constant((float) o.epsilon())))));
        }
        return done(s, updates);
    }
}
