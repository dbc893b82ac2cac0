package dev.losslab.network.layers;

import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' RandomBrightness (keras/src/layers/preprocessing/image_preprocessing/random_brightness.py): adds a uniform
 * delta in {@code [lower, upper]} times the value range's width to each image, clipped to the range (defaults as
 * {@link RandomContrast}).
 */
public final class RandomBrightness extends ImageAugmentation {
    static final Set<String> ARGUMENTS = Set.of("factor", "value_range", "seed");
    private final double[] factor;
    private final double[] valueRange;
    private final Long seed;

    RandomBrightness(Config c) {
        factor = factor(c.keras(), "factor", -1, 1, true);
        valueRange = range(c.keras(), c.pixelMax());
        seed = seed(c.keras());
    }

    @Override
    public String className() {
        return "RandomBrightness";
    }

    @Override
    public Map<String, Object> toConfig() {
        return config("factor", pair(factor[0], factor[1]), "value_range", pair(valueRange[0], valueRange[1]), "seed", seed);
    }

    @Override
    public Operand<TFloat32> apply(Ops s, Operand<TFloat32> x, int h, int w, Operand<TInt32> batch, Random random) {
        var delta = s.math.mul(between(s, random.uniform(perImage(s, batch), 0), factor[0], factor[1]),
                s.constant((float) (valueRange[1] - valueRange[0])));
        return s.clipByValue(s.math.add(x, delta), s.constant((float) valueRange[0]), s.constant((float) valueRange[1]));
    }
}
