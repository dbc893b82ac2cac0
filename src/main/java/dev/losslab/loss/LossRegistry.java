package dev.losslab.loss;

import dev.losslab.LosslabException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every loss by its config name, with its parameters' defaults, for configs and the CLI. Unknown
 * names and parameters are one-line errors that list what is valid.
 */
public final class LossRegistry {

    /** What {@code losses} prints about a loss. */
    public record Entry(String name, boolean binary, boolean multiclass, Map<String, Double> defaults, String source,
                        Function<Map<String, Double>, Loss> factory) {
    }

    private static final Map<String, Entry> ENTRIES = new TreeMap<>();

    static {
        register(new Entry(CrossEntropyLoss.NAME, true, true, Map.of(),
                "binary/categorical cross-entropy from logits (the notebook's baseline)", p -> new CrossEntropyLoss()));
    }

    private LossRegistry() {
    }

    private static void register(Entry e) {
        ENTRIES.put(e.name(), e);
    }

    public static Map<String, Entry> entries() {
        return ENTRIES;
    }

    /** The loss {@code name} with {@code params} over its defaults. */
    public static Loss create(String name, Map<String, Double> params) {
        Entry e = ENTRIES.get(name);
        if (e == null) {
            throw new LosslabException("unknown loss '" + name + "'; valid: " + String.join(", ", ENTRIES.keySet()));
        }
        Map<String, Double> merged = new TreeMap<>(e.defaults());
        if (params != null) {
            for (var p : params.entrySet()) {
                if (!e.defaults().containsKey(p.getKey())) {
                    throw new LosslabException("loss '" + name + "' has no parameter '" + p.getKey() + "'; valid: "
                            + (e.defaults().isEmpty() ? "none" : String.join(", ", e.defaults().keySet())));
                }
                merged.put(p.getKey(), p.getValue());
            }
        }
        return e.factory().apply(merged);
    }
}
