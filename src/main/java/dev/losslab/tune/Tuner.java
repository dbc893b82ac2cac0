package dev.losslab.tune;

import dev.losslab.LosslabException;
import dev.losslab.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits decision rules on validation probabilities and picks one: each requested method is fitted,
 * scored on validation, and the chosen rule is the one with the best validation accuracy (ties: the
 * simpler method, argmax first). Test probabilities, when given, are only scored, never used to
 * choose.
 */
public final class Tuner {

    /** One fitted method: its rule, validation accuracy, test accuracy (NaN without a test set) and seconds. */
    public record MethodResult(TuningMethod method, DecisionRule rule, double validationAccuracy, double testAccuracy,
                               double seconds) {
    }

    /** Every method's result and the chosen one. */
    public record Report(List<MethodResult> methods, TuningMethod chosen) {
        public MethodResult chosenResult() {
            return methods.stream().filter(m -> m.method() == chosen).findFirst().orElseThrow();
        }
    }

    /** What to fit and how. */
    public record Settings(List<TuningMethod> methods, SimplexSearch.Options search, DecisionTreeTuner.Options tree) {
        public static Settings all(int k, long seed) {
            return new Settings(TuningMethod.allFor(k), SimplexSearch.Options.defaultsFor(k, seed),
                    DecisionTreeTuner.Options.crossValidated(seed));
        }
    }

    private Tuner() {
    }

    public static DecisionRule fit(TuningMethod method, float[] p, int[] labels, int k, Settings s) {
        if (!method.appliesTo(k)) {
            throw new LosslabException("method '" + method.configName() + "' does not apply to " + k + " classes");
        }
        return switch (method) {
            case ARGMAX -> new ArgmaxRule(k);
            case GRID -> BinaryThresholdTuner.fit(p, labels).rule();
            case LOGIT_ADJUSTMENT -> LogitAdjustmentRule.fit(p, labels, k);
            case TREE -> DecisionTreeTuner.fit(p, labels, k, s.tree());
            case ABSOLUTE -> new AbsoluteThresholdRule(new SimplexSearch(p, labels, k, false).search(s.search()).thresholds());
            case RELATIVE -> new RelativeThresholdRule(new SimplexSearch(p, labels, k, true).search(s.search()).thresholds());
        };
    }

    /**
     * @param testP test probabilities, or null
     */
    public static Report tune(float[] valP, int[] valLabels, float[] testP, int[] testLabels, int k, Settings s) {
        List<MethodResult> results = new ArrayList<>();
        MethodResult best = null;
        for (TuningMethod m : s.methods()) {
            long start = System.nanoTime();
            DecisionRule rule = fit(m, valP, valLabels, k, s);
            double seconds = (System.nanoTime() - start) / 1e9;
            double val = Metrics.accuracy(rule.predict(valP), valLabels);
            double test = testP == null ? Double.NaN : Metrics.accuracy(rule.predict(testP), testLabels);
            MethodResult r = new MethodResult(m, rule, val, test, seconds);
            results.add(r);
            if (best == null || val > best.validationAccuracy() + 1e-12) {
                best = r;
            }
        }
        return new Report(results, best.method());
    }
}
