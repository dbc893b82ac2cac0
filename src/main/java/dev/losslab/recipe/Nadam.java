package dev.losslab.recipe;

import dev.losslab.util.KerasObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' Nadam (keras/src/optimizers/nadam.py; Dozat 2016): Adam with Nesterov momentum under the momentum schedule
 * {@code u_t = b1 (1 - 0.5 * 0.96^t)}, its running product kept in a variable.
 */
public final class Nadam extends MomentEstimates {
    static final Set<String> ARGUMENTS = MomentEstimates.ARGUMENTS;

    Nadam(KerasObject o) {
        super(o, 0.001, null);
    }

    private Nadam(Nadam from, double rate) {
        super(from, rate);
    }

    @Override
    public String kind() {
        return "Nadam";
    }

    @Override
    public Optimizer withConstantRate(double rate) {
        return new Nadam(this, rate);
    }

    @Override
    public Op update(Ops s, Ops u, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g, Operand<TFloat32> lr,
                     Operand<TFloat32> t) {
        var b1 = s.constant((float) beta1());
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
        var b2Power = s.math.pow(s.constant((float) beta2()), t);
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            var gi = g.get(i);
            var m = slot(s, "m", i, v, 0);
            var vel = slot(s, "v", i, v, 0);
            var newM = w.math.add(m, w.math.mul(w.math.sub(gi, m), s.constant((float) (1 - beta1()))));
            var newV = w.math.add(vel, w.math.mul(w.math.sub(w.math.square(gi), vel), s.constant((float) (1 - beta2()))));
            Ops after = w.withControlDependencies(List.<Op>of(w.assign(m, newM), w.assign(vel, newV)));
            var mHat = after.math.add(after.math.div(after.math.mul(uT1, newM), after.math.sub(one, uProductT1)),
                    after.math.div(after.math.mul(after.math.sub(one, uT), gi), after.math.sub(one, newProduct)));
            var vHat = after.math.div(newV, after.math.sub(one, b2Power));
            updates.add(after.assignSub(v, after.math.div(after.math.mul(mHat, lr),
                    after.math.add(after.math.sqrt(vHat), s.constant((float) epsilon())))));
        }
        return done(s, updates);
    }
}
