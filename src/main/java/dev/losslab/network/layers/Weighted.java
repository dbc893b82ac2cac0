package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.KerasVocabulary;
import java.util.Map;

/**
 * The config of a layer with kernels (Conv2D, Dense, DepthwiseConv2D, SeparableConv2D): its activation by
 * name, each kernel's and the bias's initializer as {class_name, config}, and the kernel regularizer
 * ({@link KerasRegularizer}); constraints and other regularizers are refused.
 */
final class Weighted {
    private Weighted() {
    }

    /**
     * Checks {@code c} and turns its activation and initializers into their normalised forms; a silent initializer
     * is the kind's Keras default from {@code defaults} (its {@code kerasDefaults}).
     */
    static void normalise(Map<String, Object> c, Map<String, Object> defaults, String where, String... kernels) {
        c.put("activation", Activations.name(c.get("activation"), where));
        for (String k : kernels) {
            c.put(k + "_initializer", initializer(c, defaults, k + "_initializer", where));
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
        if (defaults.containsKey("bias_initializer")) {
            c.put("bias_initializer", initializer(c, defaults, "bias_initializer", where));
        }
        KerasRegularizer r = KerasRegularizer.parse(c.get("kernel_regularizer"), where);
        if (r == null) {
            c.remove("kernel_regularizer");
        } else {
            c.put("kernel_regularizer", r.normalised());
        }
    }

    private static Map<String, Object> initializer(Map<String, Object> c, Map<String, Object> defaults, String key,
                                                   String where) {
        Object given = c.get(key);
        Object v = given != null ? given : defaults.get(key);
        if (v == null) {
            throw new IllegalStateException(where + ": no Keras default for " + key);
        }
        return KerasVocabulary.initializer(v, where);
    }
}
