package dev.losslab.tune;

import dev.losslab.LosslabException;
import java.util.List;
import java.util.Locale;

/** The decision-rule fitting methods, in order of simplicity (the tie-break order of {@code all}). */
public enum TuningMethod {
    ARGMAX, GRID, LOGIT_ADJUSTMENT, TREE, ABSOLUTE, RELATIVE;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean appliesTo(int k) {
        return switch (this) {
            case ARGMAX, TREE, LOGIT_ADJUSTMENT -> true;
            case GRID -> k == 2;
            case ABSOLUTE, RELATIVE -> k > 2;
        };
    }

    /** Every method that applies to K, simplest first. */
    public static List<TuningMethod> allFor(int k) {
        return java.util.Arrays.stream(values()).filter(m -> m.appliesTo(k)).toList();
    }

    public static TuningMethod parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LosslabException("unknown tuning method '" + s + "'; valid: all, argmax, grid, logit_adjustment, tree, "
                    + "absolute, relative");
        }
    }
}
