package dev.losslab.network.layers;

import dev.losslab.network.layers.Weight;
import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/**
 * One kind of Keras layer, as Keras itself shapes a layer: its config check and defaults
 * ({@link #normalise}), its output shape and weights in Keras' variable order ({@link #resolve}), and
 * its ops for training and inference ({@link #build}). Registered by its Keras class name in
 * {@link LayerKinds}: adding a layer is one subclass and its test.
 */
public abstract class KerasLayer {

    /** The output shape (without the batch) and the weights, in the order Keras saves them. */
    public record Shape(int[] output, List<Weight> weights) {
        public Shape(int[] output) {
            this(output, List.of());
        }
    }

    /** Keras' class names this kind builds (one, or a family sharing its code: MaxPooling2D, AveragePooling2D). */
    public abstract List<String> kerasNames();

    /**
     * Checks {@code config} (already stripped of Keras' bookkeeping keys) and fills in what later steps read
     * (activation names, initializer objects); {@code className} is the name it was registered under.
     */
    public void normalise(String className, Map<String, Object> config, String where) {
    }

    /** Whether a {@code className} layer takes {@code n} inputs: one, unless it merges (Add, Concatenate, ...). */
    public boolean takes(String className, int n) {
        return n == 1;
    }

    /** The output shape and weights on inputs of shapes {@code in} (without the batch). */
    public abstract Shape resolve(LayerSpec layer, List<int[]> in, String where);

    /** The layer's ops on {@code b}'s inputs and weights, for a training or an inference pass. */
    public abstract <T extends TNumber> Operand<T> build(LayerBuild<T> b);

    // ---- helpers shared by the layer kinds ----

    static void require(Map<String, Object> c, String key, String where) {
        if (c.get(key) == null) {
            throw new LosslabException(where + ": needs '" + key + "'");
        }
    }

    static int[] image(List<int[]> in, String where) {
        int[] x = in.isEmpty() ? null : in.get(0);
        if (x == null || x.length != 3) {
            throw new LosslabException(where + ": needs an image input [H, W, C], got " + fmt(x));
        }
        return x;
    }

    /** Output size of a window {@code k} at {@code stride} over {@code n} cells (TF's VALID/SAME rules). */
    public static int window(int n, int k, int stride, String padding, String where) {
        int out = padding.equals("same") ? (n + stride - 1) / stride : n < k ? 0 : (n - k) / stride + 1;
        if (out < 1) {
            throw new LosslabException(where + ": its input side " + n + " is too small for a window of " + k
                    + " with padding " + padding + "; the data need larger images (data.imageSize) or padding \"same\"");
        }
        return out;
    }

    /**
     * The [H, W] a convolution-like layer (kernel_size, strides, dilation_rate, padding) gives on {@code x};
     * strides and dilation above 1 together are refused, as Keras does.
     */
    static int[] convolvedSides(LayerSpec l, int[] x, String where) {
        int[] k = l.pair("kernel_size", null);
        int[] s = l.pair("strides", new int[] {1, 1});
        int[] d = l.pair("dilation_rate", new int[] {1, 1});
        if ((s[0] > 1 || s[1] > 1) && (d[0] > 1 || d[1] > 1)) {
            throw new LosslabException(where + ": strides > 1 with dilation_rate > 1 is not supported (as in Keras)");
        }
        return new int[] {window(x[0], (k[0] - 1) * d[0] + 1, s[0], l.padding(), where),
                window(x[1], (k[1] - 1) * d[1] + 1, s[1], l.padding(), where)};
    }

    /** The size of the last axis of {@code x}, after checking the layer's {@code axis} names it (-1 or the rank). */
    static int lastAxis(LayerSpec l, int[] x, String where) {
        int axis = l.integer("axis", -1);
        if (axis != -1 && axis != x.length) {
            throw new LosslabException(where + ": axis " + axis + " of a " + fmt(x) + " input is not supported (the last "
                    + "axis, -1 or " + x.length + ")");
        }
        return x[x.length - 1];
    }

    public static String fmt(int[] s) {
        if (s == null) {
            return "nothing";
        }
        StringBuilder sb = new StringBuilder("(None");
        for (int v : s) {
            sb.append(", ").append(v);
        }
        return sb.append(')').toString();
    }

    static int prod(int[] x) {
        int p = 1;
        for (int v : x) {
            p *= v;
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> init(LayerSpec l, String key) {
        return (Map<String, Object>) l.config().get(key);
    }

    static Map<String, Object> constant(String className) {
        return Map.of("class_name", className, "config", Map.of());
    }

    /** A weight list builder: "conv/kernel" style names, trainability from the layer's saved flag. */
    static final class Weights {
        private final LayerSpec layer;
        private final List<Weight> out = new ArrayList<>();

        Weights(LayerSpec layer) {
            this.layer = layer;
        }

        Weights trainable(String role, long[] shape, Map<String, Object> initializer) {
            // a frozen layer's weights never change (Keras' trainable=False)
            out.add(new Weight(layer.name() + "/" + role, shape, layer.bool("trainable", true), initializer,
                    role));
            return this;
        }

        Weights state(String role, long[] shape, Map<String, Object> initializer) {
            out.add(new Weight(layer.name() + "/" + role, shape, false, initializer, role));
            return this;
        }

        List<Weight> list() {
            return out;
        }
    }
}
