package dev.losslab.loss;

import java.util.List;
import java.util.function.DoublePredicate;

/**
 * One loss parameter: its name, default, and what values are valid.
 *
 * @param choices for a named parameter, the valid names; null for numeric ones
 */
public record ParamSpec(String name, Object defaultValue, String valid, DoublePredicate check, List<String> choices) {

    public static ParamSpec number(String name, double defaultValue, String valid, DoublePredicate check) {
        return new ParamSpec(name, defaultValue, valid, check, null);
    }

    /** A number or a list of numbers, each checked. */
    public static ParamSpec numbers(String name, double defaultValue, String valid, DoublePredicate check) {
        return new ParamSpec(name, defaultValue, valid + " (or a list of such)", check, null);
    }

    /** A list of positive numbers, one per class, or the default "from the training split". */
    public static ParamSpec perClass(String name, String valid, DoublePredicate check) {
        return new ParamSpec(name, FROM_TRAINING, valid + ", one per class (default: " + FROM_TRAINING + ")", check, null);
    }

    /** The default of a {@link #perClass} parameter. */
    public static final String FROM_TRAINING = "from the training split";

    public static ParamSpec choice(String name, String defaultValue, List<String> choices) {
        return new ParamSpec(name, defaultValue, "one of " + String.join(", ", choices), null, choices);
    }

    /** Null when {@code value} is valid, else the reason. */
    String problem(Object value) {
        if (choices != null) {
            return value instanceof String s && choices.contains(s) ? null : "must be " + valid;
        }
        if (value instanceof Number n) {
            return check.test(n.doubleValue()) ? null : "must be " + valid;
        }
        if (value instanceof List<?> list && (valid.endsWith("(or a list of such)") || FROM_TRAINING.equals(defaultValue))
                && !list.isEmpty()) {
            for (Object o : list) {
                if (!(o instanceof Number n) || !check.test(n.doubleValue())) {
                    return "must be " + valid;
                }
            }
            return null;
        }
        return "must be " + valid;
    }
}
