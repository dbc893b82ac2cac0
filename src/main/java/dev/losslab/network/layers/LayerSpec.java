package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One layer of a network in Keras' vocabulary: its class name (Conv2D, Dense, ...), its name, its
 * Keras config (argument names and values as Keras writes them, after the network normaliser's
 * normalisation) and the names of the layers feeding it. A value: no TF types, no state.
 */
public record LayerSpec(String className, String name, Map<String, Object> config, List<String> inbound) {

    public LayerSpec {
        config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config)); // Keras writes nulls
        inbound = List.copyOf(inbound);
    }

    /** Where the layer is, for messages: "layer 3 'conv2d_1' (Conv2D)". */
    public String where(int position) {
        return "layer " + position + " '" + name + "' (" + className + ")";
    }

    /**
     * This layer with {@code defaults} (a kind's Keras defaults) filled in where its config is silent or null: the
     * config a kind reads its typed settings from, so that its defaults are written once, in its {@code kerasDefaults}.
     */
    public LayerSpec withDefaults(Map<String, Object> defaults) {
        if (defaults.isEmpty()) {
            return this;
        }
        Map<String, Object> merged = new java.util.LinkedHashMap<>(defaults);
        config.forEach((k, v) -> {
            if (v != null || !merged.containsKey(k)) {
                merged.put(k, v);
            }
        });
        return new LayerSpec(className, name, merged, inbound);
    }

    /** The value of {@code key}, which the layer must have (a required argument, or one its kind's defaults give). */
    private Object required(String key) {
        Object v = config.get(key);
        if (v == null) {
            throw new LosslabException(name + ": needs '" + key + "'");
        }
        return v;
    }

    public String string(String key) {
        return required(key).toString();
    }

    public boolean bool(String key) {
        required(key);
        return bool(key, false);
    }

    public double number(String key) {
        required(key);
        return number(key, 0);
    }

    public int integer(String key) {
        required(key);
        return integer(key, 0);
    }

    public int[] pair(String key) {
        required(key);
        return pair(key, null);
    }

    public boolean has(String key) {
        return config.containsKey(key) && config.get(key) != null;
    }

    public String string(String key, String fallback) {
        Object v = config.get(key);
        return v == null ? fallback : v.toString();
    }

    public boolean bool(String key, boolean fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new LosslabException(name + "." + key + ": expected true or false, got " + v);
    }

    public double number(String key, double fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new LosslabException(name + "." + key + ": expected a number, got " + v);
    }

    public int integer(String key, int fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        if (v instanceof List<?> l && l.size() == 1) {
            return ((Number) l.get(0)).intValue();
        }
        throw new LosslabException(name + "." + key + ": expected a whole number, got " + v);
    }

    /** A Keras pair (kernel_size, strides, pool_size, dilation_rate): an int n means (n, n). */
    public int[] pair(String key, int[] fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return new int[] {n.intValue(), n.intValue()};
        }
        if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a && l.get(1) instanceof Number b) {
            return new int[] {a.intValue(), b.intValue()};
        }
        throw new LosslabException(name + "." + key + ": expected a number or a pair [h, w], got " + v);
    }

    /** Keras padding, lower-case: "valid" (default) or "same". */
    public String padding() {
        String p = string("padding", "valid").toLowerCase(Locale.ROOT);
        if (!p.equals("valid") && !p.equals("same")) {
            throw new LosslabException(name + ".padding: '" + p + "' is not supported (valid: valid, same)");
        }
        return p;
    }
}
