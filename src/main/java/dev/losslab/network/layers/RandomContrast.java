package dev.losslab.network.layers;

import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' RandomContrast (keras/src/layers/preprocessing/image_preprocessing/random_contrast.py):
 * {@code (x - mean) * f + mean} per image and channel, f uniform in {@code [1 - lower, 1 + upper]}, clipped to the
 * value range. The range defaults to the pixels the network is fed ([0, 1] for unit-scaled pixels) in a config's
 * augmentation list, and to Keras' [0, 255] inside a network.
 */
public final class RandomContrast extends ImageAugmentation {
    static final Set<String> ARGUMENTS = Set.of("factor", "value_range", "seed");
    private final double[] factor;
    private final double[] valueRange;
    private final Long seed;

    RandomContrast(Config c) {
        factor = factor(c.keras(), "factor", 0, 1, false);
        valueRange = range(c.keras(), c.pixelMax());
        seed = seed(c.keras());
    }

    @Override
    public String className() {
        return "RandomContrast";
    }

    @Override
    public Map<String, Object> toConfig() {
        return config("factor", pair(factor[0], factor[1]), "value_range", pair(valueRange[0], valueRange[1]), "seed", seed);
    }

    @Override
    public Operand<TFloat32> apply(Ops s, Operand<TFloat32> x, int h, int w, Operand<TInt32> batch, Random random) {
        var f = between(s, random.uniform(perImage(s, batch), 0), 1 - factor[0], 1 + factor[1]);
        var mean = s.math.mean(x, s.constant(new int[] {1, 2}), Mean.keepDims(true));
        return s.clipByValue(s.math.add(s.math.mul(s.math.sub(x, mean), f), mean), s.constant((float) valueRange[0]),
                s.constant((float) valueRange[1]));
    }
}
