package dev.losslab.network.layers;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' RandomRotation (keras/src/layers/preprocessing/image_preprocessing/random_rotation.py): each image rotated
 * by a uniform angle of {@code [lower, upper] * 360} degrees about its centre {@code ((W-1)/2, (H-1)/2)}, with Keras'
 * affine matrix.
 */
public final class RandomRotation extends AffineAugmentation {
    static final Set<String> ARGUMENTS = Set.of("factor", "fill_mode", "interpolation", "seed", "fill_value");
    private final double[] factor;

    RandomRotation(Config c) {
        super(c);
        factor = factor(c.keras(), "factor", -1, 1, true);
    }

    @Override
    public String className() {
        return "RandomRotation";
    }

    @Override
    public Map<String, Object> toConfig() {
        return config("factor", pair(factor[0], factor[1]), "data_format", "channels_last", "fill_mode", fillMode,
                "fill_value", fillValue, "interpolation", interpolation, "seed", seed);
    }

    @Override
    public Operand<TFloat32> apply(Ops s, Operand<TFloat32> x, int h, int w, Operand<TInt32> batch, Random random) {
        Operand<TInt32> column = column(s, batch);
        var radians = s.math.mul(between(s, random.uniform(column, 0), factor[0] * 360, factor[1] * 360),
                s.constant((float) (Math.PI / 180)));
        var cos = s.math.cos(radians);
        var sin = s.math.sin(radians);
        var cx = s.constant((float) (0.5 * (w - 1)));
        var cy = s.constant((float) (0.5 * (h - 1)));
        var a2 = s.math.add(s.math.sub(cx, s.math.mul(cx, cos)), s.math.mul(cy, sin));
        var b2 = s.math.sub(s.math.sub(cy, s.math.mul(cx, sin)), s.math.mul(cy, cos));
        var zeros = s.zerosLike(cos);
        var transforms = s.concat(List.of(cos, s.math.neg(sin), a2, sin, cos, b2, zeros, zeros), s.constant(1));
        return affine(s, x, transforms, h, w);
    }
}
