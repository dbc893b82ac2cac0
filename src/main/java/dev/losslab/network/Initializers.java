package dev.losslab.network;

import dev.losslab.network.layers.KerasInitializer;
import dev.losslab.network.layers.Weight;
import dev.losslab.LosslabException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Initial weights as Keras' initializers define them (one class each, {@link KerasInitializer}), drawn from
 * ONE random stream seeded by the run's seed, weight by weight in the network's build order: never
 * from layer names (which Keras numbers per process) and never with a fixed default seed, so equal
 * shapes do not start equal and the same seed always gives the same start.
 */
public final class Initializers {
    private Initializers() {
    }

    /** Initial values of every weight of {@code net}, seeded by {@code seed}. */
    public static List<Parameter> initialValues(ResolvedNetwork net, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Parameter> out = new ArrayList<>();
        for (Weight w : net.weights()) {
            out.add(new Parameter(w.name(), w.shape(), values(w, random)));
        }
        return out;
    }

    /** A weight's initial values, drawn by its initializer ({@link KerasInitializer}) from the run's stream. */
    static float[] values(Weight w, SplittableRandom random) {
        long n = w.size();
        if (n > Integer.MAX_VALUE) {
            throw new LosslabException(w.name() + ": " + n + " values is too large");
        }
        float[] v = new float[(int) n];
        KerasInitializer init;
        try {
            init = KerasInitializer.of(w.initializer(), w.name());
        } catch (LosslabException e) {
            throw e.getMessage().startsWith(w.name()) ? e : new LosslabException(w.name() + ": " + e.getMessage());
        }
        init.fill(v, w.shape(), random);
        return v;
    }
}
