package dev.losslab.recipe;

import dev.losslab.util.KerasObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' Adam (keras/src/optimizers/adam.py): {@code m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
 * var -= m * alpha / (sqrt(v) + eps)} with {@code alpha = lr sqrt(1 - b2^t) / (1 - b1^t)}, and amsgrad's running
 * maximum of v. Plain Adam (no amsgrad, decay or clipping) is TF's {@code ApplyAdam} kernel with its beta powers as
 * variables, the update losslab always used, so a run configured as before trains bit for bit as before.
 */
public class Adam extends MomentEstimates {
    /** Keras' default learning rate for Adam (and losslab's default optimizer, Adam at this constant rate). */
    public static final double DEFAULT_LEARNING_RATE = 0.001;
    static final Set<String> ARGUMENTS = java.util.stream.Stream.concat(MomentEstimates.ARGUMENTS.stream(),
            java.util.stream.Stream.of("amsgrad")).collect(java.util.stream.Collectors.toUnmodifiableSet());
    private final boolean amsgrad;

    Adam(KerasObject o) {
        this(o, null);
    }

    /** For AdamW: the same arguments with a default decay. */
    Adam(KerasObject o, Double defaultDecay) {
        super(o, DEFAULT_LEARNING_RATE, defaultDecay);
        amsgrad = o.bool("amsgrad", false);
    }

    Adam(Adam from, double rate) {
        super(from, rate);
        amsgrad = from.amsgrad;
    }

    public boolean amsgrad() {
        return amsgrad;
    }

    @Override
    public String kind() {
        return "Adam";
    }

    @Override
    public Optimizer withConstantRate(double rate) {
        return new Adam(this, rate);
    }

    @Override
    public boolean isPlainAdam() {
        return kind().equals("Adam") && !amsgrad && weightDecay() == null && clipnorm() == null && clipvalue() == null
                && globalClipnorm() == null && learningRate() instanceof LearningRate.Constant;
    }

    @Override
    public String scopeName() {
        return isPlainAdam() ? "adam" : super.scopeName();
    }

    @Override
    protected Map<String, Object> ownConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.ownConfig());
        c.put("amsgrad", amsgrad);
        return c;
    }

    @Override
    protected List<String> describeOwn() {
        return amsgrad ? List.of("amsgrad") : List.of();
    }

    @Override
    public Op update(Ops s, Ops u, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g, Operand<TFloat32> lr,
                     Operand<TFloat32> step) {
        return amsgrad ? written(s, u, vars, g, lr, step) : applyAdam(s, u, vars, g, lr);
    }

    /** TF's ApplyAdam (Keras' Adam update; bias correction folded into the step size), beta powers as variables. */
    private Op applyAdam(Ops s, Ops u, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g, Operand<TFloat32> lr) {
        var b1 = s.constant((float) beta1());
        var b2 = s.constant((float) beta2());
        var eps = s.constant((float) epsilon());
        // beta^t for the bias correction: start at beta (t = 1 on the first step), advanced after each step
        var b1Power = s.withName("beta1_power").variable(s.constant((float) beta1()));
        var b2Power = s.withName("beta2_power").variable(s.constant((float) beta2()));
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
    private Op written(Ops s, Ops u, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g, Operand<TFloat32> lr,
                       Operand<TFloat32> t) {
        var b1 = s.constant((float) beta1());
        var b2 = s.constant((float) beta2());
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
            var newM = u.math.add(m, u.math.mul(u.math.sub(gi, m), s.constant((float) (1 - beta1()))));
            var newV = u.math.add(w, u.math.mul(u.math.sub(u.math.square(gi), w), s.constant((float) (1 - beta2()))));
            List<Op> slots = new ArrayList<>(List.of(u.assign(m, newM), u.assign(w, newV)));
            Operand<TFloat32> denomV = newV;
            if (amsgrad) {
                var vHat = slot(s, "vhat", i, v, 0);
                var newHat = u.math.maximum(vHat, newV);
                slots.add(u.assign(vHat, newHat));
                denomV = newHat;
            }
            Ops after = u.withControlDependencies(slots);
            var delta = after.math.div(after.math.mul(newM, alpha),
                    after.math.add(after.math.sqrt(denomV), s.constant((float) epsilon())));
            updates.add(after.assignSub(v, delta));
        }
        return done(s, updates);
    }
}
