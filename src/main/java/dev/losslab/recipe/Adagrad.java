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
 * Keras' Adagrad (keras/src/optimizers/adagrad.py): {@code acc += g^2; var -= lr g / sqrt(acc + eps)}, the
 * accumulator starting at {@code initial_accumulator_value} (0.1).
 */
public final class Adagrad extends Optimizer {
    static final Set<String> ARGUMENTS = Set.of("initial_accumulator_value", "epsilon");
    private final double initialAccumulator;
    private final double epsilon;

    Adagrad(KerasObject o) {
        super(o, 0.001, null);
        initialAccumulator = o.nonNegative("initial_accumulator_value", 0.1);
        epsilon = o.nonNegative("epsilon", 1e-7);
    }

    private Adagrad(Adagrad from, double rate) {
        super(from, rate);
        initialAccumulator = from.initialAccumulator;
        epsilon = from.epsilon;
    }

    public double initialAccumulator() {
        return initialAccumulator;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public String kind() {
        return "Adagrad";
    }

    @Override
    public Optimizer withConstantRate(double rate) {
        return new Adagrad(this, rate);
    }

    @Override
    protected Map<String, Object> ownConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_accumulator_value", initialAccumulator);
        c.put("epsilon", epsilon);
        return c;
    }

    @Override
    public Op update(Ops s, Ops u, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g, Operand<TFloat32> lr,
                     Operand<TFloat32> step) {
        var eps = s.constant((float) epsilon);
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            var gi = g.get(i);
            var acc = slot(s, "accumulator", i, v, (float) initialAccumulator);
            var newAcc = u.math.add(acc, u.math.square(gi));
            Ops after = u.withControlDependencies(List.<Op>of(u.assign(acc, newAcc)));
            updates.add(after.assignSub(v, after.math.div(after.math.mul(lr, gi), after.math.sqrt(after.math.add(newAcc, eps)))));
        }
        return done(s, updates);
    }
}
