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
 * Keras' Adamax (keras/src/optimizers/adamax.py; Kingma and Ba 2015, sec. 7.1), Adam under the infinity norm:
 * {@code m += (g - m)(1 - b1); u = max(b2 u, |g|); var -= lr m / ((1 - b1^t)(u + eps))}.
 */
public final class Adamax extends MomentEstimates {
    static final Set<String> ARGUMENTS = MomentEstimates.ARGUMENTS;

    Adamax(KerasObject o) {
        super(o, 0.001, null);
    }

    private Adamax(Adamax from, double rate) {
        super(from, rate);
    }

    @Override
    public String kind() {
        return "Adamax";
    }

    @Override
    public Optimizer withConstantRate(double rate) {
        return new Adamax(this, rate);
    }

    @Override
    public Op update(Ops s, Ops u, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g, Operand<TFloat32> lr,
                     Operand<TFloat32> t) {
        var b1 = s.constant((float) beta1());
        var b1Power = s.math.pow(b1, t);
        var oneMinusB1Power = s.math.sub(s.constant(1f), b1Power);
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            var gi = g.get(i);
            var m = slot(s, "m", i, v, 0);
            var norm = slot(s, "u", i, v, 0);
            var newM = u.math.add(m, u.math.mul(u.math.sub(gi, m), s.constant((float) (1 - beta1()))));
            var newU = u.math.maximum(u.math.mul(s.constant((float) beta2()), norm), u.math.abs(gi));
            Ops after = u.withControlDependencies(List.<Op>of(u.assign(m, newM), u.assign(norm, newU)));
            updates.add(after.assignSub(v, after.math.div(after.math.mul(lr, newM),
                    after.math.mul(oneMinusB1Power, after.math.add(newU, s.constant((float) epsilon()))))));
        }
        return done(s, updates);
    }
}
