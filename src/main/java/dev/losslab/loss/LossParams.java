package dev.losslab.loss;

import dev.losslab.LosslabException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A loss's parameters after defaults and validation: numbers, lists of numbers (e.g. several
 * thresholds tau to average over) or names (e.g. the soft-set form).
 */
public final class LossParams {
    private final String loss;
    private final Map<String, Object> values;
    private final int[] trainCounts;

    LossParams(String loss, Map<String, Object> values, int[] trainCounts) {
        this.loss = loss;
        this.values = new TreeMap<>(values);
        this.trainCounts = trainCounts;
    }

    /**
     * A per-class parameter ({@link ParamSpec#perClass}): the configured list, checked to have one
     * value per class; null when left at its default (the loss then derives it from the counts).
     */
    public double[] perClass(String name) {
        Object v = values.get(name);
        if (v == null || ParamSpec.FROM_TRAINING.equals(v)) {
            return null;
        }
        double[] out = numbers(name);
        if (trainCounts != null && out.length != trainCounts.length) {
            throw new LosslabException("loss '" + loss + "': parameter '" + name + "' has " + out.length + " values for "
                    + trainCounts.length + " classes");
        }
        return out;
    }

    /** Training-split class counts, or null when the loss is made without data (then uniform). */
    public int[] trainCounts() {
        return trainCounts;
    }

    public double number(String name) {
        Object v = values.get(name);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new LosslabException("loss '" + loss + "': parameter '" + name + "' must be a number, got " + v);
    }

    /** A number or a list of numbers, as an array. */
    public double[] numbers(String name) {
        Object v = values.get(name);
        if (v instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        if (v instanceof List<?> list && !list.isEmpty()) {
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw new LosslabException("loss '" + loss + "': parameter '" + name + "' must hold numbers, got " + v);
                }
                out[i] = n.doubleValue();
            }
            return out;
        }
        throw new LosslabException("loss '" + loss + "': parameter '" + name + "' must be a number or a non-empty list of numbers, got " + v);
    }

    public String text(String name) {
        return String.valueOf(values.get(name));
    }

    public Map<String, Object> asMap() {
        return values;
    }
}
