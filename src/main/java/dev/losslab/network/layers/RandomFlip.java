package dev.losslab.network.layers;

import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' RandomFlip (keras/src/layers/preprocessing/image_preprocessing/random_flip.py): each image flipped with
 * probability 1/2, left-right, up-down, or both at once for {@code horizontal_and_vertical} (Keras' default).
 */
public final class RandomFlip extends ImageAugmentation {
    static final Set<String> ARGUMENTS = Set.of("mode", "seed");
    private final String mode;
    private final Long seed;

    RandomFlip(Config c) {
        mode = c.keras().text("mode", "horizontal_and_vertical", Set.of("horizontal", "vertical", "horizontal_and_vertical"));
        seed = seed(c.keras());
    }

    public boolean horizontal() {
        return !mode.equals("vertical");
    }

    public boolean vertical() {
        return !mode.equals("horizontal");
    }

    @Override
    public String className() {
        return "RandomFlip";
    }

    @Override
    public Map<String, Object> toConfig() {
        return config("seed", seed, "mode", mode, "data_format", "channels_last");
    }

    @Override
    public Operand<TFloat32> apply(Ops s, Operand<TFloat32> x, int h, int w, Operand<TInt32> batch, Random random) {
        Operand<TBool> flips = s.math.lessEqual(random.uniform(perImage(s, batch), 0), s.constant(0.5f));
        if (horizontal()) {
            x = s.select(flips, s.reverse(x, s.constant(new int[] {2})), x);
        }
        if (vertical()) {
            x = s.select(flips, s.reverse(x, s.constant(new int[] {1})), x);
        }
        return x;
    }
}
