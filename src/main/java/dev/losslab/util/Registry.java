package dev.losslab.util;

import dev.losslab.LosslabException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Keras' shape for a family of configurable objects (keras/src/saving/object_registration.py): each class found by its
 * Keras class name, with the constructor arguments it takes and a factory that reads its config once into typed
 * fields. Adding an optimizer (or any other member of a family) is its class and one {@link #register} line.
 *
 * @param <C> what a factory reads (a parsed config)
 * @param <T> the family
 */
public final class Registry<C, T> {
    /** One class of the family: its Keras name, its own arguments (beside the family's common ones), its factory. */
    public record Entry<C, T>(String name, Set<String> arguments, Function<C, T> factory) {
    }

    private final String family;
    private final Map<String, Entry<C, T>> entries = new LinkedHashMap<>();

    /** An empty registry of {@code family} ("optimizer", "learning-rate schedule", ...), named in errors. */
    public Registry(String family) {
        this.family = family;
    }

    /** Registers {@code name}; a second class of the same name is a programming error. */
    public Registry<C, T> register(String name, Set<String> arguments, Function<C, T> factory) {
        if (entries.putIfAbsent(name, new Entry<>(name, Set.copyOf(arguments), factory)) != null) {
            throw new IllegalStateException("two " + family + " classes named " + name);
        }
        return this;
    }

    /** The class registered as {@code name}, or null. */
    public Entry<C, T> get(String name) {
        return entries.get(name);
    }

    /** The registered names, in registration order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public String family() {
        return family;
    }

    /**
     * The one argument check every family uses (optimizers, schedules, callbacks, augmentation layers, initializers
     * through {@link KerasObject#allow}, losses through their registry): each {@code given} argument must be one
     * {@code className} takes ({@code known}); Keras arguments losslab does not implement ({@code unsupported}) are
     * refused by name rather than ignored. {@code where} names an argument's config path in the one-line error.
     */
    public static void checkArguments(String className, Iterable<String> given, Set<String> known, Set<String> unsupported,
                                      Function<String, String> where) {
        for (String a : given) {
            if (unsupported.contains(a)) {
                throw new LosslabException(where.apply(a) + ": Keras' argument '" + a + "' is not supported by losslab");
            }
            if (!known.contains(a)) {
                throw new LosslabException(where.apply(a) + ": " + className + " has no argument '" + a + "'; valid: "
                        + (known.isEmpty() ? "none" : new TreeSet<>(known)));
            }
        }
    }
}
