package dev.losslab.network.layers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.losslab.LosslabException;
import dev.losslab.util.KerasObject;
import dev.losslab.util.Registry;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One of Keras 3.15's image augmentation layers (keras/src/layers/preprocessing/image_preprocessing): its config
 * read once into typed fields with Keras' defaults, written back as Keras' {@code get_config} writes it
 * ({@link #toConfig}), and its ops on a training batch {@code [B, H, W, C]} ({@link #apply}). Found by Keras class
 * name in {@link #REGISTRY}, which serves both places a Keras user puts these layers: a config's
 * {@code "augmentation"} list (applied to each training batch, skipped at inference) and a network's layers
 * ({@link AugmentationLayer}: the identity at inference). Adding an augmentation layer is its class and one registry
 * line.
 */
public abstract class ImageAugmentation {
    /** What a class reads: its Keras object, and the pixel maximum {@code value_range} defaults to. */
    public record Config(KerasObject keras, double pixelMax) {
    }

    /** Every augmentation layer losslab builds, by Keras class name. */
    public static final Registry<Config, ImageAugmentation> REGISTRY = new Registry<Config, ImageAugmentation>(
            "augmentation layer")
            .register("RandomFlip", RandomFlip.ARGUMENTS, RandomFlip::new)
            .register("RandomCrop", RandomCrop.ARGUMENTS, RandomCrop::new)
            .register("RandomTranslation", RandomTranslation.ARGUMENTS, RandomTranslation::new)
            .register("RandomRotation", RandomRotation.ARGUMENTS, RandomRotation::new)
            .register("RandomZoom", RandomZoom.ARGUMENTS, RandomZoom::new)
            .register("RandomContrast", RandomContrast.ARGUMENTS, RandomContrast::new)
            .register("RandomBrightness", RandomBrightness.ARGUMENTS, RandomBrightness::new)
            .register("RandomInvert", RandomInvert.ARGUMENTS, RandomInvert::new)
            .register("ZeroPadding2D", ImagePadding.ARGUMENTS, ImagePadding::new);

    /** What every augmentation layer takes; {@code data_format} only as channels_last (losslab's images). */
    private static final Set<String> COMMON = Set.of("name", "data_format");

    /**
     * Random numbers in [0, 1) of a given shape; {@code k} tells a layer's draws apart (the caller seeds them: by
     * the run's seed, the layer and the step in a training pipeline, or by the layer's position in a network).
     */
    public interface Random {
        Operand<TFloat32> uniform(Operand<TInt32> shape, int k);
    }

    /** The layer at config field {@code path} ({@code {"RandomFlip": {...}}} or {@code "RandomFlip"}). */
    public static ImageAugmentation parse(String path, JsonNode node, double pixelMax) {
        KerasObject o = KerasObject.parse(path, node, REGISTRY.names());
        Registry.Entry<Config, ImageAugmentation> entry = REGISTRY.get(o.className());
        Set<String> known = new HashSet<>(COMMON);
        known.addAll(entry.arguments());
        o.allow(known, Set.of());
        if (o.has("data_format")) {
            o.text("data_format", "channels_last", Set.of("channels_last"));
        }
        return entry.factory().apply(new Config(o, pixelMax));
    }

    /** Keras' class name. */
    public abstract String className();

    /** The layer's own arguments as Keras' {@code get_config} writes them, in its order (after name, trainable, dtype). */
    public abstract Map<String, Object> toConfig();

    /** The image size after the layer (padding grows it, a crop sets it). */
    public int[] outputSize(int height, int width) {
        return new int[] {height, width};
    }

    /**
     * The layer on {@code x} [B, h, w, C] in a training pass; {@code batch} is B as a vector of one.
     */
    public abstract Operand<TFloat32> apply(Ops s, Operand<TFloat32> x, int h, int w, Operand<TInt32> batch,
                                            Random random);

    // ---- helpers the classes share ----

    /** Keras' fill modes for the affine layers. */
    static final Set<String> FILL_MODES = Set.of("reflect", "wrap", "constant", "nearest");
    static final Set<String> INTERPOLATIONS = Set.of("bilinear", "nearest");

    /** An ordered map from key, value pairs (null values allowed). */
    static Map<String, Object> config(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The seed as given (Keras writes None when absent). */
    static Long seed(KerasObject o) {
        JsonNode v = o.raw("seed");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw new LosslabException(o.where("seed") + ": expected an integer, found " + KerasObject.abbreviate(v));
        }
        return v.longValue();
    }

    static int positive(KerasObject o, String arg) {
        if (!o.has(arg)) {
            throw new LosslabException(o.where(arg) + ": required");
        }
        int v = o.integer(arg, 0);
        if (v < 1) {
            throw new LosslabException(o.where(arg) + ": must be >= 1, found " + v);
        }
        return v;
    }

    /** Keras' _set_factor: a number f gives (-f, f) (or (f, f) for contrast), a pair gives (lower, upper), within bounds. */
    static double[] factor(KerasObject o, String arg, double min, double max, boolean symmetric) {
        JsonNode v = o.raw(arg);
        if (v == null || v.isNull()) {
            throw new LosslabException(o.where(arg) + ": required");
        }
        double lower;
        double upper;
        if (v.isNumber()) {
            double f = v.doubleValue();
            if (f < min || f > max) {
                throw new LosslabException(o.where(arg) + ": must be in [" + min + ", " + max + "], found " + f);
            }
            f = Math.abs(f);
            lower = symmetric ? Math.max(-f, min) : f;
            upper = f;
        } else {
            double[] pair = o.numbers(arg);
            if (pair.length != 2) {
                throw new LosslabException(o.where(arg) + ": a number or two numbers [lower, upper], found " + v);
            }
            lower = Math.min(pair[0], pair[1]);
            upper = Math.max(pair[0], pair[1]);
            if (lower > max || upper < min) {
                throw new LosslabException(o.where(arg) + ": must lie in [" + min + ", " + max + "], found " + v);
            }
        }
        return new double[] {lower, upper};
    }

    /** {@code value_range}: [low, high], by default [0, the pixel maximum]. */
    static double[] range(KerasObject o, double pixelMax) {
        if (!o.has("value_range")) {
            return new double[] {0, pixelMax};
        }
        double[] r = o.numbers("value_range");
        if (r.length != 2 || !(r[1] > r[0])) {
            throw new LosslabException(o.where("value_range") + ": expected [low, high] with low < high");
        }
        return r;
    }

    /** u in [0, 1) mapped to [lower, upper). */
    static Operand<TFloat32> between(Ops s, Operand<TFloat32> u, double lower, double upper) {
        return s.math.add(s.math.mul(u, s.constant((float) (upper - lower))), s.constant((float) lower));
    }

    /** The shape [B, 1, 1, 1]: one draw per image. */
    static Operand<TInt32> perImage(Ops s, Operand<TInt32> batch) {
        return s.concat(List.of(batch, s.constant(new int[] {1, 1, 1})), s.constant(0));
    }

    /** The shape [B, 1]: one draw per image, as a column of transform parameters. */
    static Operand<TInt32> column(Ops s, Operand<TInt32> batch) {
        return s.concat(List.of(batch, s.constant(new int[] {1})), s.constant(0));
    }

    /** A factor as Keras writes it back: the pair [lower, upper] (reads back to the same range). */
    static List<Double> pair(double lower, double upper) {
        return List.of(lower, upper);
    }
}
