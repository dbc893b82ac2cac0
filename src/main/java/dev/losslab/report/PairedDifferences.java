package dev.losslab.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The pairing behind every "loss X against cross-entropy" answer: within one family of comparisons
 * (a setting, or a setting and an objective), each method's value minus the baseline's on the same
 * unit (the same split and seed, so the same data and initial weights). {@link Comparison} and
 * {@link ObjectiveStudy} both pair this way, then test the differences with {@link PairedTests}.
 */
final class PairedDifferences {
    private PairedDifferences() {
    }

    /**
     * Method -> its differences {@code value(row) - baselineValue(baseline row of the same unit)}, in row
     * order, methods in first-seen order; the baseline and methods sharing no unit with it are left out.
     */
    static <T> Map<String, double[]> against(List<T> rows, String baseline, Function<T, String> method,
                                             Function<T, String> unit, ToDoubleFunction<T> value,
                                             ToDoubleFunction<T> baselineValue) {
        Map<String, T> base = new HashMap<>();
        for (T r : rows) {
            if (method.apply(r).equals(baseline)) {
                base.put(unit.apply(r), r);
            }
        }
        Map<String, List<Double>> diffs = new LinkedHashMap<>();
        for (T r : rows) {
            T b = base.get(unit.apply(r));
            if (b != null && !method.apply(r).equals(baseline)) {
                diffs.computeIfAbsent(method.apply(r), k -> new ArrayList<>())
                        .add(value.applyAsDouble(r) - baselineValue.applyAsDouble(b));
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        diffs.forEach((m, d) -> out.put(m, d.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }
}
