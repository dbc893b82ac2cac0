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
 * Keras' RMSprop (keras/src/optimizers/rmsprop.py): {@code velocity = rho velocity + (1 - rho) g^2}, centred by the
 * running mean gradient when asked, {@code increment = lr g / sqrt(velocity + eps)}, with momentum on the increment.
 */
public final class RMSprop extends Optimizer {
    static final Set<String> ARGUMENTS = Set.of("rho", "momentum", "epsilon", "centered");
    private final double rho;
    private final double momentum;
    private final double epsilon;
    private final boolean centered;

    RMSprop(KerasObject o) {
        super(o, 0.001, null);
        rho = o.fraction("rho", 0.9);
        momentum = o.fraction("momentum", 0.0);
        epsilon = o.nonNegative("epsilon", 1e-7);
        centered = o.bool("centered", false);
    }

    private RMSprop(RMSprop from, double rate) {
        super(from, rate);
        rho = from.rho;
        momentum = from.momentum;
        epsilon = from.epsilon;
        centered = from.centered;
    }

    public double rho() {
        return rho;
    }

    public double momentum() {
        return momentum;
    }

    public double epsilon() {
        return epsilon;
    }

    public boolean centered() {
        return centered;
    }

    @Override
    public String kind() {
        return "RMSprop";
    }

    @Override
    public Optimizer withConstantRate(double rate) {
        return new RMSprop(this, rate);
    }

    @Override
    protected Map<String, Object> ownConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("rho", rho);
        c.put("momentum", momentum);
        c.put("epsilon", epsilon);
        c.put("centered", centered);
        return c;
    }

    @Override
    protected List<String> describeOwn() {
        return momentum > 0 || centered ? List.of((momentum > 0 ? "momentum " + momentum : "") + (centered ? " centered" : ""))
                : List.of();
    }

    @Override
    public Op update(Ops s, Ops u, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g, Operand<TFloat32> lr,
                     Operand<TFloat32> step) {
        var r = s.constant((float) rho);
        var oneMinusRho = s.constant((float) (1 - rho));
        var eps = s.constant((float) epsilon);
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            var gi = g.get(i);
            var velocity = slot(s, "velocity", i, v, 0);
            var newVel = u.math.add(u.math.mul(r, velocity), u.math.mul(oneMinusRho, u.math.square(gi)));
            List<Op> slots = new ArrayList<>(List.of(u.assign(velocity, newVel)));
            Operand<TFloat32> denominator;
            if (centered) {
                var avg = slot(s, "average_gradient", i, v, 0);
                var newAvg = u.math.add(u.math.mul(r, avg), u.math.mul(oneMinusRho, gi));
                slots.add(u.assign(avg, newAvg));
                denominator = u.math.add(u.math.sub(newVel, u.math.square(newAvg)), eps);
            } else {
                denominator = u.math.add(newVel, eps);
            }
            var increment = u.math.div(u.math.mul(lr, gi), u.math.sqrt(denominator));
            Ops after = u.withControlDependencies(slots);
            if (momentum > 0) {
                var mom = slot(s, "momentum", i, v, 0);
                var newMom = after.math.add(after.math.mul(s.constant((float) momentum), mom), increment);
                var assignMom = after.assign(mom, newMom);
                updates.add(after.withControlDependencies(List.<Op>of(assignMom)).assignSub(v, newMom));
            } else {
                updates.add(after.assignSub(v, increment));
            }
        }
        return done(s, updates);
    }
}
