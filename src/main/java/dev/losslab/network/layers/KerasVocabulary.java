package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The layers, activations and initializers losslab builds, by their Keras names. */
public final class KerasVocabulary {
    public static final List<String> LAYERS = LayerKinds.names();
    public static final List<String> ACTIVATIONS = Activations.NAMES;
    public static final List<String> INITIALIZERS = List.copyOf(KerasInitializer.REGISTRY.names());
    /** Keras' string aliases for initializers. */
    static final Map<String, String> INITIALIZER_ALIASES = Map.ofEntries(Map.entry("glorot_uniform", "GlorotUniform"),
            Map.entry("glorot_normal", "GlorotNormal"), Map.entry("he_uniform", "HeUniform"), Map.entry("he_normal", "HeNormal"),
            Map.entry("lecun_uniform", "LecunUniform"), Map.entry("lecun_normal", "LecunNormal"),
            Map.entry("variance_scaling", "VarianceScaling"), Map.entry("random_normal", "RandomNormal"),
            Map.entry("random_uniform", "RandomUniform"), Map.entry("truncated_normal", "TruncatedNormal"),
            Map.entry("zeros", "Zeros"), Map.entry("ones", "Ones"), Map.entry("constant", "Constant"));
    private KerasVocabulary() {
    }

    /** {class_name, config} of an initializer given as a string alias or a Keras object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> initializer(Object value, String where) {
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
