package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.recipe.Augmentation;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The augmentation layers as TF ops on a training batch {@code [B, H, W, C]}, with Keras 3.15's transforms (see
 * {@link Augmentation}). Randomness is TF's stateless generator seeded by (the run's seed, the layer, the step
 * number), so a run repeats exactly and no state lives in the graph.
 */
public final class AugmentationGraph {
    private AugmentationGraph() {
    }

    /** {@code x} augmented; {@code step} is the step number fed each step (float32 scalar). */
    public static Operand<TFloat32> apply(Ops tf, Augmentation a, Operand<TFloat32> x, int height, int width, long seed,
                                   Operand<TFloat32> step) {
        Ops s = tf.withSubScope("augmentation");
        int[] end = a.outputSize(height, width);
        if (end[0] != height || end[1] != width) {
            throw new LosslabException("augmentation turns " + height + "x" + width + " images into " + end[0] + "x" + end[1]
                    + "; it must end at the images' size, since it is skipped at inference (pad, then crop back)");
        }
        Operand<TInt64> stepId = s.dtypes.cast(step, TInt64.class);
        Operand<TInt32> batch = s.slice(s.shape(x), s.constant(new int[] {0}), s.constant(new int[] {1}));
        int h = height;
        int w = width;
        int i = 0;
        for (Augmentation.Layer layer : a.layers()) {
            i++;
            final int layerId = i;
            Random random = (shape, k) -> s.random.statelessRandomUniform(shape, s.stack(List.of(
                    s.constant(seed * 1_000_003L + layerId * 16L + k), stepId)), TFloat32.class);
            x = applyLayer(s, layer, x, h, w, batch, random);
            int[] next = new Augmentation(List.of(layer)).outputSize(h, w);
            h = next[0];
            w = next[1];
        }
        return x;
    }

    /** Random numbers in [0, 1) of a given shape; {@code k} tells a layer's draws apart. */
    public interface Random {
        Operand<TFloat32> uniform(Operand<TInt32> shape, int k);
    }

    /** One layer on {@code x} [B, h, w, C]; {@code batch} is B as a vector of one. */
    public static Operand<TFloat32> applyLayer(Ops s, Augmentation.Layer layer, Operand<TFloat32> x, int h, int w,
                                        Operand<TInt32> batch, Random random) {
        switch (layer) {
            case Augmentation.Padding p -> {
                x = s.pad(x, s.constant(new int[][] {{0, 0}, {p.top(), p.bottom()}, {p.left(), p.right()}, {0, 0}}),
                        s.constant(0f));
            }
            case Augmentation.Flip f -> {
                Operand<TBool> flips = s.math.lessEqual(random.uniform(perImage(s, batch), 0), s.constant(0.5f));
                if (f.horizontal()) {
                    x = s.select(flips, s.reverse(x, s.constant(new int[] {2})), x);
                }
                if (f.vertical()) {
                    x = s.select(flips, s.reverse(x, s.constant(new int[] {1})), x);
                }
            }
            case Augmentation.Crop c -> {
                if (h < c.height() || w < c.width()) {
                    throw new LosslabException("RandomCrop " + c.height() + "x" + c.width() + " is larger than its " + h
                            + "x" + w + " input; pad first (ZeroPadding2D)");
                }
                x = c.perImage() ? cropPerImage(s, x, batch, h, w, c, random) : cropPerBatch(s, x, h, w, c, random);
            }
            case Augmentation.Translation t -> {
                Operand<TInt32> column = s.concat(List.of(batch, s.constant(new int[] {1})), s.constant(0));
                var ty = s.math.mul(between(s, random.uniform(column, 0), t.heightLower(), t.heightUpper()),
                        s.constant((float) h));
                var tx = s.math.mul(between(s, random.uniform(column, 1), t.widthLower(), t.widthUpper()),
                        s.constant((float) w));
                var ones = s.onesLike(tx);
                var zeros = s.zerosLike(tx);
                // Keras' translation matrix: [1, 0, -tx, 0, 1, -ty, 0, 0]
                var transforms = s.concat(List.of(ones, zeros, s.math.neg(tx), zeros, ones, s.math.neg(ty), zeros, zeros),
                        s.constant(1));
                x = affine(s, x, transforms, h, w, t.fillMode(), t.interpolation(), t.fillValue());
            }
            case Augmentation.Rotation r -> {
                Operand<TInt32> column = s.concat(List.of(batch, s.constant(new int[] {1})), s.constant(0));
                // Keras: degrees uniform in [lower, upper] * 360, rotated about the centre ((W-1)/2, (H-1)/2)
                var radians = s.math.mul(between(s, random.uniform(column, 0), r.lower() * 360, r.upper() * 360),
                        s.constant((float) (Math.PI / 180)));
                var cos = s.math.cos(radians);
                var sin = s.math.sin(radians);
                var cx = s.constant((float) (0.5 * (w - 1)));
                var cy = s.constant((float) (0.5 * (h - 1)));
                var a2 = s.math.add(s.math.sub(cx, s.math.mul(cx, cos)), s.math.mul(cy, sin));
                var b2 = s.math.sub(s.math.sub(cy, s.math.mul(cx, sin)), s.math.mul(cy, cos));
                var zeros = s.zerosLike(cos);
                var transforms = s.concat(List.of(cos, s.math.neg(sin), a2, sin, cos, b2, zeros, zeros), s.constant(1));
                x = affine(s, x, transforms, h, w, r.fillMode(), r.interpolation(), r.fillValue());
            }
            case Augmentation.Zoom z -> {
                Operand<TInt32> column = s.concat(List.of(batch, s.constant(new int[] {1})), s.constant(0));
                var zy = s.math.add(between(s, random.uniform(column, 0), z.heightLower(), z.heightUpper()),
                        s.constant(1f));
                Operand<TFloat32> zx = z.widthLower() == null ? zy : s.math.add(between(s, random.uniform(column, 1), z.widthLower(), z.widthUpper()), s.constant(1f));
                var xOffset = s.math.mul(s.constant((float) ((w - 1) / 2.0)), s.math.sub(s.constant(1f), zx));
                var yOffset = s.math.mul(s.constant((float) ((h - 1) / 2.0)), s.math.sub(s.constant(1f), zy));
                var zeros = s.zerosLike(zy);
                var transforms = s.concat(List.of(zx, zeros, xOffset, zeros, zy, yOffset, zeros, zeros), s.constant(1));
                x = affine(s, x, transforms, h, w, z.fillMode(), z.interpolation(), z.fillValue());
            }
            case Augmentation.Contrast c -> {
                var f = between(s, random.uniform(perImage(s, batch), 0), 1 - c.lower(), 1 + c.upper());
                var mean = s.math.mean(x, s.constant(new int[] {1, 2}), org.tensorflow.op.math.Mean.keepDims(true));
                x = s.clipByValue(s.math.add(s.math.mul(s.math.sub(x, mean), f), mean),
                        s.constant((float) c.valueRange()[0]), s.constant((float) c.valueRange()[1]));
            }
            case Augmentation.Brightness b -> {
                var delta = s.math.mul(between(s, random.uniform(perImage(s, batch), 0), b.lower(), b.upper()),
                        s.constant((float) (b.valueRange()[1] - b.valueRange()[0])));
                x = s.clipByValue(s.math.add(x, delta), s.constant((float) b.valueRange()[0]),
                        s.constant((float) b.valueRange()[1]));
            }
        }
        return x;
    }

    /** Keras' TF backend affine_transform: ImageProjectiveTransformV3 with upper-case modes. */
    private static Operand<TFloat32> affine(Ops s, Operand<TFloat32> x, Operand<TFloat32> transforms, int h, int w,
                                            String fillMode, String interpolation, double fillValue) {
        return s.image.imageProjectiveTransformV3(x, transforms, s.constant(new int[] {h, w}), s.constant((float) fillValue),
                interpolation.toUpperCase(java.util.Locale.ROOT), org.tensorflow.op.image.ImageProjectiveTransformV3.fillMode(
                        fillMode.toUpperCase(java.util.Locale.ROOT)));
    }

    private static Operand<TInt32> perImage(Ops s, Operand<TInt32> batch) {
        return s.concat(List.of(batch, s.constant(new int[] {1, 1, 1})), s.constant(0));
    }


    /** u in [0, 1) mapped to [lower, upper). */
    private static Operand<TFloat32> between(Ops s, Operand<TFloat32> u, double lower, double upper) {
        return s.math.add(s.math.mul(u, s.constant((float) (upper - lower))), s.constant((float) lower));
    }

    /** Keras: one offset for the whole batch, cast(uniform(0, H - height + 1)) to int32; a same-size input is kept. */
    private static Operand<TFloat32> cropPerBatch(Ops s, Operand<TFloat32> x, int h, int w, Augmentation.Crop c,
                                                  Random random) {
        if (h == c.height() && w == c.width()) {
            return x;
        }
        var scalar = s.constant(new int[0]);
        var h0 = s.dtypes.cast(s.math.mul(random.uniform(scalar, 0), s.constant((float) (h - c.height() + 1))),
                TInt32.class);
        var w0 = s.dtypes.cast(s.math.mul(random.uniform(scalar, 1), s.constant((float) (w - c.width() + 1))),
                TInt32.class);
        var begin = s.stack(List.of(s.constant(0), h0, w0, s.constant(0)));
        return s.slice(x, begin, s.constant(new int[] {-1, c.height(), c.width(), -1}));
    }

    /** One offset per image: rows and columns gathered per image (batch_dims 1). */
    private static Operand<TFloat32> cropPerImage(Ops s, Operand<TFloat32> x, Operand<TInt32> batch, int h, int w,
                                                  Augmentation.Crop c,
                                                  Random random) {
        Operand<TInt32> column = s.concat(List.of(batch, s.constant(new int[] {1})), s.constant(0));
        var h0 = s.dtypes.cast(s.math.mul(random.uniform(column, 0), s.constant((float) (h - c.height() + 1))),
                TInt32.class);
        var w0 = s.dtypes.cast(s.math.mul(random.uniform(column, 1), s.constant((float) (w - c.width() + 1))),
                TInt32.class);
        var rows = s.math.add(h0, s.range(s.constant(0), s.constant(c.height()), s.constant(1)));
        var cols = s.math.add(w0, s.range(s.constant(0), s.constant(c.width()), s.constant(1)));
        Operand<TFloat32> byRow = s.gather(x, rows, s.constant(1), Gather.batchDims(1L));
        return s.gather(byRow, cols, s.constant(2), Gather.batchDims(1L));
    }
}
