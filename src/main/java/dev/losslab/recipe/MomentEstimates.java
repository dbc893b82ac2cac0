package dev.losslab.recipe;

import dev.losslab.util.KerasObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What Keras' Adam, Adamax and Nadam share (keras/src/optimizers/adam.py, adamax.py, nadam.py; Kingma and Ba 2015):
 * decay rates {@code beta_1} and {@code beta_2} of the first- and second-moment estimates and {@code epsilon}, with
 * Keras' defaults 0.9, 0.999 and 1e-7, read once and written back in Keras' order. Each subclass builds its update.
 */
public abstract class MomentEstimates extends Optimizer {
    static final Set<String> ARGUMENTS = Set.of("beta_1", "beta_2", "epsilon");
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    MomentEstimates(KerasObject o, double defaultRate, Double defaultDecay) {
        super(o, defaultRate, defaultDecay);
        beta1 = o.fraction("beta_1", 0.9);
        beta2 = o.fraction("beta_2", 0.999);
        epsilon = o.nonNegative("epsilon", 1e-7);
    }

    MomentEstimates(MomentEstimates from, double rate) {
        super(from, rate);
        beta1 = from.beta1;
        beta2 = from.beta2;
        epsilon = from.epsilon;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    protected Map<String, Object> ownConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("beta_1", beta1);
        c.put("beta_2", beta2);
        c.put("epsilon", epsilon);
        return c;
    }
}
