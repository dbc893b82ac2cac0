package dev.losslab.network.layers;

import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' RandomInvert (keras/src/layers/preprocessing/image_preprocessing/random_invert.py): each image's
 * inversion probability p is drawn uniform in {@code factor}'s [lower, upper] (a number f gives [0, f]; Keras'
 * default 1.0), and the image becomes {@code value_range[1] - x} when a second uniform draw falls below p.
 */
public final class RandomInvert extends ImageAugmentation {
    static final Set<String> ARGUMENTS = Set.of("factor", "value_range", "seed");
    private final double[] factor;
    private final double[] valueRange;
    private final Long seed;

    RandomInvert(Config c) {
        factor = c.keras().has("factor") ? factor(c.keras(), "factor", 0, 1, true) : new double[] {0, 1};
        valueRange = range(c.keras(), c.pixelMax());
        seed = seed(c.keras());
    }

    @Override
    public String className() {
        return "RandomInvert";
    }

    @Override
    public Map<String, Object> toConfig() {
        return config("factor", pair(factor[0], factor[1]), "value_range", pair(valueRange[0], valueRange[1]), "seed", seed);
    }

    @Override
    public Operand<TFloat32> apply(Ops s, Operand<TFloat32> x, int h, int w, Operand<TInt32> batch, Random random) {
        var probability = between(s, random.uniform(perImage(s, batch), 0), factor[0], factor[1]);
        var inverts = s.math.less(random.uniform(perImage(s, batch), 1), probability);
        var inverted = s.math.sub(s.constant((float) valueRange[1]), x);
        return s.select(s.broadcastTo(inverts, s.shape(x)), inverted, x);
    }
}
