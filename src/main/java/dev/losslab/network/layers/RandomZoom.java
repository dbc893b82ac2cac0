package dev.losslab.network.layers;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' RandomZoom (keras/src/layers/preprocessing/image_preprocessing/random_zoom.py): each image scaled by
 * {@code 1 + uniform(lower, upper)} per axis about its centre (a positive factor zooms out); the width follows the
 * height when {@code width_factor} is absent, as Keras.
 */
public final class RandomZoom extends AffineAugmentation {
    static final Set<String> ARGUMENTS = Set.of("height_factor", "width_factor", "fill_mode", "interpolation", "seed",
            "fill_value");
    private final double[] height;
    private final double[] width;

    RandomZoom(Config c) {
        super(c);
        height = factor(c.keras(), "height_factor", -1, 1, true);
        width = c.keras().has("width_factor") ? factor(c.keras(), "width_factor", -1, 1, true) : null;
    }

    @Override
    public String className() {
        return "RandomZoom";
    }

    @Override
    public Map<String, Object> toConfig() {
        return config("height_factor", pair(height[0], height[1]), "width_factor", width == null ? null
                : pair(width[0], width[1]), "fill_mode", fillMode, "interpolation", interpolation, "seed", seed,
                "fill_value", fillValue, "data_format", "channels_last");
    }

    @Override
    public Operand<TFloat32> apply(Ops s, Operand<TFloat32> x, int h, int w, Operand<TInt32> batch, Random random) {
        Operand<TInt32> column = column(s, batch);
        var zy = s.math.add(between(s, random.uniform(column, 0), height[0], height[1]), s.constant(1f));
        Operand<TFloat32> zx = width == null ? zy
                : s.math.add(between(s, random.uniform(column, 1), width[0], width[1]), s.constant(1f));
        var xOffset = s.math.mul(s.constant((float) ((w - 1) / 2.0)), s.math.sub(s.constant(1f), zx));
        var yOffset = s.math.mul(s.constant((float) ((h - 1) / 2.0)), s.math.sub(s.constant(1f), zy));
        var zeros = s.zerosLike(zy);
        var transforms = s.concat(List.of(zx, zeros, xOffset, zeros, zy, yOffset, zeros, zeros), s.constant(1));
        return affine(s, x, transforms, h, w);
    }
}
