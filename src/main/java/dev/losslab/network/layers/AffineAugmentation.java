package dev.losslab.network.layers;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ImageProjectiveTransformV3;
import org.tensorflow.types.TFloat32;

/**
 * What Keras' affine augmentation layers share (RandomTranslation, RandomRotation, RandomZoom): the fill mode
 * (reflect by default), the interpolation (bilinear), the fill value and the seed, read once, and the transform
 * itself, Keras' TF backend {@code affine_transform} (ImageProjectiveTransformV3 with upper-case modes).
 */
abstract class AffineAugmentation extends ImageAugmentation {
    final String fillMode;
    final String interpolation;
    final double fillValue;
    final Long seed;

    AffineAugmentation(Config c) {
        fillMode = c.keras().text("fill_mode", "reflect", FILL_MODES);
        interpolation = c.keras().text("interpolation", "bilinear", INTERPOLATIONS);
        fillValue = c.keras().number("fill_value", 0);
        seed = seed(c.keras());
    }

    /** {@code x} under each image's 8-parameter projective {@code transforms} [B, 8]. */
    Operand<TFloat32> affine(Ops s, Operand<TFloat32> x, Operand<TFloat32> transforms, int h, int w) {
        return s.image.imageProjectiveTransformV3(x, transforms, s.constant(new int[] {h, w}), s.constant((float) fillValue),
                interpolation.toUpperCase(Locale.ROOT), ImageProjectiveTransformV3.fillMode(fillMode.toUpperCase(Locale.ROOT)));
    }
}
