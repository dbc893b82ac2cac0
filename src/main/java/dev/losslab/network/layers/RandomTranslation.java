package dev.losslab.network.layers;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' RandomTranslation (keras/src/layers/preprocessing/image_preprocessing/random_translation.py): each image
 * shifted by uniform fractions of its height and width, Keras' matrix {@code [1, 0, -tx, 0, 1, -ty, 0, 0]}, filled
 * by reflect (default), wrap, constant or nearest.
 */
public final class RandomTranslation extends AffineAugmentation {
    static final Set<String> ARGUMENTS = Set.of("height_factor", "width_factor", "fill_mode", "interpolation", "seed",
            "fill_value");
    private final double[] height;
    private final double[] width;

    RandomTranslation(Config c) {
        super(c);
        height = factor(c.keras(), "height_factor", -1, 1, true);
        width = factor(c.keras(), "width_factor", -1, 1, true);
    }

    @Override
    public String className() {
        return "RandomTranslation";
    }

    @Override
    public Map<String, Object> toConfig() {
        return config("height_factor", pair(height[0], height[1]), "width_factor", pair(width[0], width[1]),
                "fill_mode", fillMode, "interpolation", interpolation, "seed", seed, "fill_value", fillValue,
                "data_format", "channels_last");
    }

    @Override
    public Operand<TFloat32> apply(Ops s, Operand<TFloat32> x, int h, int w, Operand<TInt32> batch, Random random) {
        Operand<TInt32> column = column(s, batch);
        var ty = s.math.mul(between(s, random.uniform(column, 0), height[0], height[1]), s.constant((float) h));
        var tx = s.math.mul(between(s, random.uniform(column, 1), width[0], width[1]), s.constant((float) w));
        var ones = s.onesLike(tx);
        var zeros = s.zerosLike(tx);
        var transforms = s.concat(List.of(ones, zeros, s.math.neg(tx), zeros, ones, s.math.neg(ty), zeros, zeros),
                s.constant(1));
        return affine(s, x, transforms, h, w);
    }
}
