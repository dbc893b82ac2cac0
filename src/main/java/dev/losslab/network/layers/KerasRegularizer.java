package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.util.Registry;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keras' weight regularizers (keras/src/regularizers/regularizers.py): {@code L1(l1=0.01)}, {@code L2(l2=0.01)} and
 * {@code L1L2(l1=0, l2=0)}, the penalty {@code l1 sum|W| + l2 sum W^2} added to the loss. Read once from a config
 * (an object or Keras' string aliases "l1", "l2", "l1_l2"), written back as Keras writes it, found by class name in
 * {@link #REGISTRY}. A layer's normalised config keeps it as {@code {"class_name", "l1", "l2"}}, which the forward
 * graph reads.
 */
public record KerasRegularizer(String className, double l1, double l2) {
    /** Every regularizer losslab builds, by Keras class name. */
    public static final Registry<Map<String, Object>, KerasRegularizer> REGISTRY =
            new Registry<Map<String, Object>, KerasRegularizer>("regularizer")
                    .register("L1", Set.of("l1"), c -> new KerasRegularizer("L1", num(c.get("l1"), 0.01), 0))
                    .register("L2", Set.of("l2"), c -> new KerasRegularizer("L2", 0, num(c.get("l2"), 0.01)))
                    .register("L1L2", Set.of("l1", "l2"), c -> new KerasRegularizer("L1L2", num(c.get("l1"), 0.0),
                            num(c.get("l2"), 0.0)));
    private static final Map<String, String> ALIASES = Map.of("l1", "L1", "l2", "L2", "l1l2", "L1L2", "l1_l2", "L1L2");

    /** The regularizer a config gives ({@code {"class_name": "L2", "config": {"l2": 1e-4}}} or "l2"), or null. */
    @SuppressWarnings("unchecked")
    public static KerasRegularizer parse(Object v, String where) {
        if (v == null) {
            return null;
        }
        String cls;
        Map<String, Object> cfg = Map.of();
        if (v instanceof Map<?, ?> m) {
            cls = String.valueOf(m.get("class_name"));
            if (m.get("config") instanceof Map<?, ?> c) {
                cfg = (Map<String, Object>) c;
            }
        } else {
            cls = v.toString();
        }
        String name = ALIASES.getOrDefault(cls.toLowerCase(Locale.ROOT), cls);
        var entry = REGISTRY.get(name);
        if (entry == null) {
            throw new LosslabException(where + ": kernel_regularizer '" + cls + "' is not supported (L1, L2, L1L2)");
        }
        return entry.factory().apply(cfg);
    }

    /** The regularizer a normalised layer config holds ({@link #normalised}), or null. */
    public static KerasRegularizer ofNormalised(Object v) {
        if (!(v instanceof Map<?, ?> m) || !m.containsKey("l1")) {
            return null;
        }
        double l1 = num(m.get("l1"), 0);
        double l2 = num(m.get("l2"), 0);
        String cls = m.get("class_name") instanceof String s ? s : l1 != 0 && l2 != 0 ? "L1L2" : l1 != 0 ? "L1" : "L2";
        return new KerasRegularizer(cls, l1, l2);
    }

    /** The form a normalised layer config keeps. */
    public Map<String, Object> normalised() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", className);
        m.put("l1", l1);
        m.put("l2", l2);
        return m;
    }

    /** As Keras serialises it: {@code {module, class_name, config, registered_name}}. */
    public Map<String, Object> toConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        if (!className.equals("L2")) {
            c.put("l1", l1);
        }
        if (!className.equals("L1")) {
            c.put("l2", l2);
        }
        return KerasLayer.kerasObject("keras.regularizers", className, c);
    }

    private static double num(Object o, double fallback) {
        return o instanceof Number n ? n.doubleValue() : fallback;
    }
}
