package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' RandomCrop (keras/src/layers/preprocessing/image_preprocessing/random_crop.py): crops to height x width at
 * a random offset, one offset for the whole batch as Keras draws it ({@code cast(uniform(0, H - height + 1))}), or
 * one per image with losslab's {@code "per_image": true} (the field's CIFAR pad-and-crop recipe).
 */
public final class RandomCrop extends ImageAugmentation {
    static final Set<String> ARGUMENTS = Set.of("height", "width", "seed", "per_image");
    private final int height;
    private final int width;
    private final boolean perImage;
    private final Long seed;

    RandomCrop(Config c) {
        height = positive(c.keras(), "height");
        width = positive(c.keras(), "width");
        perImage = c.keras().bool("per_image", false);
        seed = seed(c.keras());
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public boolean perImage() {
        return perImage;
    }

    @Override
    public String className() {
        return "RandomCrop";
    }

    /** Keras' keys; {@code per_image} only when set, since Keras has no such argument. */
    @Override
    public Map<String, Object> toConfig() {
        Map<String, Object> c = config("height", height, "width", width, "seed", seed, "data_format", "channels_last");
        if (perImage) {
            c.put("per_image", true);
        }
        return c;
    }

    @Override
    public int[] outputSize(int h, int w) {
        return new int[] {height, width};
    }

    @Override
    public Operand<TFloat32> apply(Ops s, Operand<TFloat32> x, int h, int w, Operand<TInt32> batch, Random random) {
        if (h < height || w < width) {
            throw new LosslabException("RandomCrop " + height + "x" + width + " is larger than its " + h + "x" + w
                    + " input; pad first (ZeroPadding2D)");
        }
        return perImage ? cropPerImage(s, x, batch, h, w, random) : cropPerBatch(s, x, h, w, random);
    }

    /** Keras: one offset for the whole batch, cast(uniform(0, H - height + 1)) to int32; a same-size input is kept. */
    private Operand<TFloat32> cropPerBatch(Ops s, Operand<TFloat32> x, int h, int w, Random random) {
        if (h == height && w == width) {
            return x;
        }
        var scalar = s.constant(new int[0]);
        var h0 = s.dtypes.cast(s.math.mul(random.uniform(scalar, 0), s.constant((float) (h - height + 1))), TInt32.class);
        var w0 = s.dtypes.cast(s.math.mul(random.uniform(scalar, 1), s.constant((float) (w - width + 1))), TInt32.class);
        var begin = s.stack(List.of(s.constant(0), h0, w0, s.constant(0)));
        return s.slice(x, begin, s.constant(new int[] {-1, height, width, -1}));
    }

    /** One offset per image: rows and columns gathered per image (batch_dims 1). */
    private Operand<TFloat32> cropPerImage(Ops s, Operand<TFloat32> x, Operand<TInt32> batch, int h, int w, Random random) {
        Operand<TInt32> column = column(s, batch);
        var h0 = s.dtypes.cast(s.math.mul(random.uniform(column, 0), s.constant((float) (h - height + 1))), TInt32.class);
        var w0 = s.dtypes.cast(s.math.mul(random.uniform(column, 1), s.constant((float) (w - width + 1))), TInt32.class);
        var rows = s.math.add(h0, s.range(s.constant(0), s.constant(height), s.constant(1)));
        var cols = s.math.add(w0, s.range(s.constant(0), s.constant(width), s.constant(1)));
        Operand<TFloat32> byRow = s.gather(x, rows, s.constant(1), Gather.batchDims(1L));
        return s.gather(byRow, cols, s.constant(2), Gather.batchDims(1L));
    }
}
