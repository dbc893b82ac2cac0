package dev.losslab.network;

import dev.losslab.LosslabException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The layers, activations and initializers losslab builds, by their Keras names. */
public final class KerasVocabulary {
    public static final List<String> LAYERS = List.of("InputLayer", "Conv2D", "MaxPooling2D", "AveragePooling2D",
            "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Flatten", "Dense", "Dropout", "BatchNormalization",
            "Activation", "ReLU", "Rescaling", "Add", "Concatenate", "RandomFlip", "RandomCrop", "RandomTranslation",
            "RandomRotation", "RandomZoom", "RandomContrast", "RandomBrightness");
    public static final List<String> ACTIVATIONS = List.of("linear", "relu", "sigmoid", "softmax", "tanh", "elu", "selu",
            "gelu", "silu", "swish", "leaky_relu");
    public static final List<String> INITIALIZERS = List.of("GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal",
            "LecunUniform", "LecunNormal", "VarianceScaling", "RandomNormal", "RandomUniform", "TruncatedNormal", "Zeros",
            "Ones", "Constant");
    /** Keras' string aliases for initializers. */
    static final Map<String, String> INITIALIZER_ALIASES = Map.ofEntries(Map.entry("glorot_uniform", "GlorotUniform"),
            Map.entry("glorot_normal", "GlorotNormal"), Map.entry("he_uniform", "HeUniform"), Map.entry("he_normal", "HeNormal"),
            Map.entry("lecun_uniform", "LecunUniform"), Map.entry("lecun_normal", "LecunNormal"),
            Map.entry("variance_scaling", "VarianceScaling"), Map.entry("random_normal", "RandomNormal"),
            Map.entry("random_uniform", "RandomUniform"), Map.entry("truncated_normal", "TruncatedNormal"),
            Map.entry("zeros", "Zeros"), Map.entry("ones", "Ones"), Map.entry("constant", "Constant"));
    /** Layers with trainable weights or state. */
    static final Set<String> WEIGHTED = Set.of("Conv2D", "Dense", "BatchNormalization");

    private KerasVocabulary() {
    }

    static String layer(String className, String where) {
        if (!LAYERS.contains(className)) {
            throw new LosslabException(where + ": layer class '" + className + "' is not supported; supported: "
                    + String.join(", ", LAYERS));
        }
        return className;
    }

    static String activation(Object value, String where) {
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
        if (!ACTIVATIONS.contains(name)) {
            throw new LosslabException(where + ": activation '" + name + "' is not supported; supported: "
                    + String.join(", ", ACTIVATIONS));
        }
        return name.equals("swish") ? "silu" : name;
    }

    /** {class_name, config} of an initializer given as a string alias or a Keras object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> initializer(Object value, String fallback, String where) {
        if (value == null) {
            return Map.of("class_name", fallback, "config", Map.of());
        }
        String cls;
        Map<String, Object> cfg = Map.of();
        if (value instanceof Map<?, ?> m) {
            cls = String.valueOf(m.get("class_name"));
            if (m.get("config") instanceof Map<?, ?> c) {
                cfg = (Map<String, Object>) c;
            }
        } else {
            cls = INITIALIZER_ALIASES.getOrDefault(value.toString().trim().toLowerCase(Locale.ROOT), value.toString());
        }
        cls = INITIALIZER_ALIASES.getOrDefault(cls, cls);
        if (!INITIALIZERS.contains(cls)) {
            throw new LosslabException(where + ": initializer '" + cls + "' is not supported; supported: "
                    + String.join(", ", INITIALIZERS));
        }
        return Map.of("class_name", cls, "config", cfg);
    }
}
