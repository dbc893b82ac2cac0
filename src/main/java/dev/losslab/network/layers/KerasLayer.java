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
 * One kind of Keras layer, as Keras itself shapes a layer: its config check ({@link #normalise}), its config read
 * once into typed settings {@code S} with Keras' defaults ({@link #read}, the defaults written only in
 * {@link #kerasDefaults}), its output shape and weights in Keras' variable order ({@link #shape}), its ops for
 * training and inference from those settings ({@link #ops}), and its config written back ({@link #toConfig}).
 * Registered by its Keras class name in {@link LayerKinds}: adding a layer is one subclass, one registry entry and
 * its test.
 *
 * @param <S> the kind's typed settings (a record), what {@link #ops} reads instead of the config map
 */
public abstract class KerasLayer<S> {

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

    /**
     * The layer's typed settings from {@code config}, the layer with Keras' defaults ({@link #kerasDefaults}) filled in
     * where it is silent; read once per resolved layer. Null for kinds that have none.
     */
    protected abstract S read(LayerSpec config, String where);

    /** The output shape and weights of a layer with settings {@code s} on inputs of shapes {@code in} (without the batch). */
    protected abstract Shape shape(S s, LayerSpec layer, List<int[]> in, String where);

    /** The layer's ops from its settings {@code s} on {@code b}'s inputs and weights, for a training or an inference pass. */
    protected abstract <T extends TNumber> Operand<T> ops(S s, LayerBuild<T> b);

    /** The layer {@code l} resolved on inputs of shapes {@code in}: its settings read once, its output shape, its weights. */
    public final ResolvedLayer resolve(LayerSpec l, List<int[]> in, String where) {
        S s = read(l.withDefaults(kerasDefaults(l.className())), where);
        Shape shape = shape(s, l, in, where);
        if (!takes(l.className(), in.size())) {
            throw new LosslabException(where + ": takes one input, got " + in.size());
        }
        return new ResolvedLayer(l, shape.output(), shape.weights(), s);
    }

    /** The resolved layer's ops on {@code b}'s inputs and weights, from the settings it was resolved with. */
    @SuppressWarnings("unchecked")
    public final <T extends TNumber> Operand<T> build(LayerBuild<T> b) {
        return ops((S) b.layer().settings(), b);
    }

    // ---- writing back: Keras' own config (get_config) ----

    /** Config keys losslab keeps for itself, never written into a Keras config. */
    private static final java.util.Set<String> OWN_KEYS = java.util.Set.of("trainable", "call_training", "batch_shape",
            BatchNormalizationLayer.FUSED);
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

    /** The size of the last axis of {@code x}, after checking the layer's {@code axis} names it (-1 or the rank). */
    static int lastAxis(int axis, int[] x, String where) {
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

    /** A normalised initializer config ({class_name, config}) of the layer. */
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
