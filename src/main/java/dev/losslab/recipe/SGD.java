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
 * Keras' SGD (keras/src/optimizers/sgd.py): {@code m = momentum * m - lr * g; v += m}, or with Nesterov
 * {@code v += momentum * m - lr * g}; without momentum {@code v -= lr * g}. Default rate 0.01.
 */
public final class SGD extends Optimizer {
    static final Set<String> ARGUMENTS = Set.of("momentum", "nesterov");
    private final double momentum;
    private final boolean nesterov;

    SGD(KerasObject o) {
        super(o, 0.01, null);
        momentum = o.fraction("momentum", 0.0);
        nesterov = o.bool("nesterov", false);
    }

    private SGD(SGD from, double rate) {
        super(from, rate);
        momentum = from.momentum;
        nesterov = from.nesterov;
    }

    public double momentum() {
        return momentum;
    }

    public boolean nesterov() {
        return nesterov;
    }

    @Override
    public String kind() {
        return "SGD";
    }

    @Override
    public Optimizer withConstantRate(double rate) {
        return new SGD(this, rate);
    }

    @Override
    protected Map<String, Object> ownConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("momentum", momentum);
        c.put("nesterov", nesterov);
        return c;
    }

    @Override
    protected List<String> describeOwn() {
        return momentum > 0 ? List.of("momentum " + momentum + (nesterov ? ", nesterov" : "")) : List.of();
    }

    @Override
    public Op update(Ops s, Ops u, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g, Operand<TFloat32> lr,
                     Operand<TFloat32> step) {
        List<Op> updates = new ArrayList<>();
        var m0 = s.constant((float) momentum);
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            var delta = u.math.mul(g.get(i), lr);
            if (momentum == 0) {
                updates.add(u.assignSub(v, delta));
                continue;
            }
            var m = slot(s, "m", i, v, 0);
            var newM = u.math.sub(u.math.mul(m, m0), delta);
            var assignM = u.assign(m, newM);
            Ops after = u.withControlDependencies(List.<Op>of(assignM));
            updates.add(after.assignAdd(v, nesterov ? after.math.sub(after.math.mul(newM, m0), delta) : newM));
        }
        return done(s, updates);
    }
}
