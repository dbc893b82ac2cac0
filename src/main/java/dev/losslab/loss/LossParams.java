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

    LossParams(String loss, Map<String, Object> values) {
        this.loss = loss;
        this.values = new TreeMap<>(values);
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
