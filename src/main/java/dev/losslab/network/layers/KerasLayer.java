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

    // ---- writing back: Keras' own config (get_config) ----

    /** Config keys losslab keeps for itself, never written into a Keras config. */
    private static final java.util.Set<String> OWN_KEYS = java.util.Set.of("trainable", "call_training", "batch_shape");
    /** Keys Keras writes as a pair [a, b] where a config may give one number. */
    private static final java.util.Set<String> PAIRS = java.util.Set.of("kernel_size", "strides", "dilation_rate",
            "pool_size");

    /**
     * Keras' defaults for a {@code className} layer's config, in the order its {@code get_config} writes them
     * (keras-team/keras, keras/src/layers/): what the layer is when a config is silent. Only the keys after Keras'
     * base keys (name, trainable, dtype). Empty: the kind writes back the keys its config holds.
     */
    protected Map<String, Object> kerasDefaults(String className) {
        return Map.of();
    }

    /**
     * The arguments a {@code className} layer takes, as a config names them (Keras' own, from {@link #kerasDefaults},
     * plus losslab's for the kinds that have some); null: the kind does not list them and a config is not checked.
     */
    public java.util.Set<String> arguments(String className) {
        Map<String, Object> d = kerasDefaults(className);
        return d.isEmpty() ? null : d.keySet();
    }

    /**
     * Whether Keras records a {@code build_config} (the input shape its {@code build} saw) for this kind: true for
     * layers with a {@code build} method (convolutions, Dense, BatchNormalization, merges, Rescaling, Flatten), false
     * for those without (ReLU, Activation, Dropout, Reshape, pooling).
     */
    public boolean writesBuildConfig(String className) {
        return true;
    }

    /**
     * The layer's Keras config as Keras' {@code get_config} writes it: name, trainable, the float32 dtype policy, then
     * {@link #kerasDefaults} in Keras' order with the layer's own values where it has them, initializers and
     * regularizers as Keras objects, pairs as [a, b]. A layer Keras cannot express is refused in one line.
     */
    public Map<String, Object> toConfig(LayerSpec l) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("name", l.name());
        out.put("trainable", l.bool("trainable", true));
        out.put("dtype", dtypePolicy());
        Map<String, Object> defaults = kerasDefaults(l.className());
        for (var e : defaults.entrySet()) {
            out.put(e.getKey(), l.config().containsKey(e.getKey()) ? written(e.getKey(), l.config().get(e.getKey()))
                    : e.getValue());
        }
        for (var e : l.config().entrySet()) {
            if (!out.containsKey(e.getKey()) && !OWN_KEYS.contains(e.getKey())) {
                out.put(e.getKey(), written(e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    /** Keras' float32 DTypePolicy object, as every layer's config carries it. */
    public static Map<String, Object> dtypePolicy() {
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        p.put("module", "keras");
        p.put("class_name", "DTypePolicy");
        p.put("config", Map.of("name", "float32"));
        p.put("registered_name", null);
        return p;
    }

    /** A config value as Keras writes it. */
    @SuppressWarnings("unchecked")
    static Object written(String key, Object v) {
        if (v instanceof Number n && PAIRS.contains(key)) {
            return List.of(n.intValue(), n.intValue());
        }
        if (key.endsWith("_initializer") && v instanceof Map<?, ?> m && m.containsKey("class_name")) {
            return kerasObject("keras.initializers", String.valueOf(m.get("class_name")),
                    m.get("config") instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of());
        }
        if (key.endsWith("_regularizer") && KerasRegularizer.ofNormalised(v) != null) {
            return KerasRegularizer.ofNormalised(v).toConfig();
        }
        return v;
    }

    /** {module, class_name, config, registered_name}: how Keras 3 serialises one of its own objects. */
    public static Map<String, Object> kerasObject(String module, String className, Map<String, Object> config) {
        Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("module", module);
        o.put("class_name", className);
        o.put("config", config);
        o.put("registered_name", null);
        return o;
    }

    /** An ordered map of Keras defaults from key, value pairs (null values allowed). */
    static Map<String, Object> defaults(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Map<String, Object> initializer(String className) {
        return kerasObject("keras.initializers", className, Map.of());
    }

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
