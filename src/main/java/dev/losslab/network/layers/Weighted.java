package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.KerasVocabulary;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The config of a layer with kernels (Conv2D, Dense, DepthwiseConv2D, SeparableConv2D): its activation by
 * name, each kernel's and the bias's initializer as {class_name, config}, and the kernel regularizer as
 * {l1, l2} (Keras' L1, L2 and L1L2 objects or strings); constraints and other regularizers are refused.
 */
final class Weighted {
    private Weighted() {
    }

    static void normalise(Map<String, Object> c, String where, String... kernels) {
        c.put("activation", Activations.name(c.get("activation"), where));
        for (String k : kernels) {
            c.put(k + "_initializer", KerasVocabulary.initializer(c.get(k + "_initializer"), "GlorotUniform", where));
            if (c.get(k + "_constraint") != null) {
                throw new LosslabException(where + ": " + k + "_constraint is not supported");
            }
            c.remove(k + "_constraint");
            if (!k.equals("kernel") && c.get(k + "_regularizer") != null) {
                throw new LosslabException(where + ": " + k + "_regularizer is not supported (kernel_regularizer is)");
            }
            if (!k.equals("kernel")) {
                c.remove(k + "_regularizer");
            }
        }
        c.put("bias_initializer", KerasVocabulary.initializer(c.get("bias_initializer"), "Zeros", where));
        Map<String, Object> r = regularizer(c.get("kernel_regularizer"), where);
        if (r == null) {
            c.remove("kernel_regularizer");
        } else {
            c.put("kernel_regularizer", r);
        }
    }

    /** {l1, l2} of a kernel_regularizer (L1, L2, L1L2 objects or "l1"/"l2" strings), or null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> regularizer(Object v, String where) {
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
        double l1 = 0;
        double l2 = 0;
        switch (cls.toLowerCase(Locale.ROOT)) {
            case "l1" -> l1 = num(cfg.get("l1"), 0.01);
            case "l2" -> l2 = num(cfg.get("l2"), 0.01);
            case "l1l2", "l1_l2" -> {
                l1 = num(cfg.get("l1"), 0.0);
                l2 = num(cfg.get("l2"), 0.0);
            }
            default -> throw new LosslabException(where + ": kernel_regularizer '" + cls + "' is not supported (L1, L2, L1L2)");
        }
        Map<String, Object> out = new HashMap<>();
        out.put("l1", l1);
        out.put("l2", l2);
        return out;
    }

    private static double num(Object o, double fallback) {
        return o instanceof Number n ? n.doubleValue() : fallback;
    }
}
