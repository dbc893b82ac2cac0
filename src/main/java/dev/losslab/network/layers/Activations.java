package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' activation functions by name, as TF ops (keras-team/keras {@code activations/activations.py} and the
 * TF backend's {@code nn.py}): hard_sigmoid is Keras 3's {@code relu6(x + 3) / 6} (Keras 2's was
 * {@code clip(0.2 x + 0.5)}), hard_silu = hard_swish = {@code x hard_sigmoid(x)}, gelu the exact erf form
 * (Keras' default {@code approximate=False}), mish = {@code x tanh(softplus(x))}.
 */
public final class Activations {
    public static final List<String> NAMES = List.of("linear", "relu", "relu6", "sigmoid", "hard_sigmoid", "softmax", "tanh",
            "elu", "selu", "gelu", "silu", "swish", "hard_silu", "hard_swish", "leaky_relu", "softplus", "softsign", "mish",
            "exponential");

    private Activations() {
    }

    /** The canonical name of a Keras activation given as a string or a Keras 3 object (swish -> silu). */
    public static String name(Object value, String where) {
        if (value == null) {
            return "linear";
        }
        String name;
        if (value instanceof Map<?, ?> m) {
            // Keras 3 objects: {"module": "keras.activations", "class_name": "function", "config": "relu"}
            Object cfg = m.get("config");
            name = cfg instanceof String s ? s : String.valueOf(m.get("class_name"));
        } else {
            name = value.toString();
        }
        name = name.trim().toLowerCase(Locale.ROOT);
        if (name.equals("none")) {
            name = "linear";
        }
        if (!NAMES.contains(name)) {
            throw new LosslabException(where + ": activation '" + name + "' is not supported; supported: "
                    + String.join(", ", NAMES));
        }
        return name.equals("swish") ? "silu" : name.equals("hard_swish") ? "hard_silu" : name;
    }

    /** {@code name} applied to {@code x}. */
    public static <T extends TNumber> Operand<T> apply(Ops s, Operand<T> x, String name) {
        Class<T> type = x.type();
        return switch (name) {
            case "linear" -> x;
            case "relu" -> s.nn.relu(x);
            case "relu6" -> s.nn.relu6(x);
            case "sigmoid" -> s.math.sigmoid(x);
            case "hard_sigmoid" -> hardSigmoid(s, x);
            case "softmax" -> s.nn.softmax(x);
            case "tanh" -> s.math.tanh(x);
            case "elu" -> s.nn.elu(x);
            case "selu" -> s.nn.selu(x);
            case "gelu" -> s.math.mul(s.math.mul(x, c(s, 0.5, type)),
                    s.math.add(c(s, 1, type), s.math.erf(s.math.mul(x, c(s, 1 / Math.sqrt(2), type)))));
            case "silu" -> s.math.mul(x, s.math.sigmoid(x));
            case "hard_silu" -> s.math.mul(x, hardSigmoid(s, x));
            case "leaky_relu" -> s.nn.leakyRelu(x, LeakyRelu.alpha(0.2f));
            case "softplus" -> s.math.softplus(x);
            case "softsign" -> s.nn.softsign(x);
            case "mish" -> s.math.mul(x, s.math.tanh(s.math.softplus(x)));
            case "exponential" -> s.math.exp(x);
            default -> throw new LosslabException("activation '" + name + "' cannot be built");
        };
    }

    private static <T extends TNumber> Operand<T> hardSigmoid(Ops s, Operand<T> x) {
        return s.math.div(s.nn.relu6(s.math.add(x, c(s, 3, x.type()))), c(s, 6, x.type()));
    }

    static <T extends TNumber> Operand<T> c(Ops s, double v, Class<T> type) {
        return s.dtypes.cast(s.constant((float) v), type);
    }
}
