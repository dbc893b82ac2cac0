package dev.losslab.tune;

import dev.losslab.LosslabException;
import dev.losslab.metrics.Metrics;
import dev.losslab.metrics.Objective;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits decision rules on validation probabilities and picks one: each requested method is fitted
 * to maximise the settings' {@link Objective} (accuracy by default) on validation, and the chosen
 * rule is the one with the best validation objective (ties: the simpler method, argmax first).
 * Test probabilities, when given, are only scored, never used to choose.
 */
public final class Tuner {

    /**
     * One fitted method: its rule, validation and test accuracy (NaN without a test set), seconds,
     * and the objective's validation and test values (equal to the accuracies for accuracy).
     */
    public record MethodResult(TuningMethod method, DecisionRule rule, double validationAccuracy, double testAccuracy,
                               double seconds, double validationObjective, double testObjective) {
    }

    /** Every method's result and the chosen one. */
    public record Report(List<MethodResult> methods, TuningMethod chosen) {
        public MethodResult chosenResult() {
            return methods.stream().filter(m -> m.method() == chosen).findFirst().orElseThrow();
        }
    }

    /** What to fit and how. */
    public record Settings(List<TuningMethod> methods, SimplexSearch.Options search, DecisionTreeTuner.Options tree,
                           Objective objective) {
        public Settings {
            objective = objective == null ? Objective.ACCURACY : objective;
            tree = tree.withObjective(objective);
        }

        public Settings(List<TuningMethod> methods, SimplexSearch.Options search, DecisionTreeTuner.Options tree) {
            this(methods, search, tree, Objective.ACCURACY);
        }

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
            case GRID -> BinaryThresholdTuner.fit(p, labels, s.objective()).rule();
            case LOGIT_ADJUSTMENT -> LogitAdjustmentRule.fit(p, labels, k, s.objective());
            case TREE -> DecisionTreeTuner.fit(p, labels, k, s.tree());
            case ABSOLUTE -> new AbsoluteThresholdRule(new SimplexSearch(p, labels, k, false, s.objective()).search(s.search())
                    .thresholds());
            case RELATIVE -> new RelativeThresholdRule(new SimplexSearch(p, labels, k, true, s.objective()).search(s.search())
                    .thresholds());
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
            int[] valPred = rule.predict(valP);
            int[] testPred = testP == null ? null : rule.predict(testP);
            double val = Metrics.accuracy(valPred, valLabels);
            double test = testP == null ? Double.NaN : Metrics.accuracy(testPred, testLabels);
            double valObjective = s.objective().score(valPred, valLabels, k);
            double testObjective = testP == null ? Double.NaN : s.objective().score(testPred, testLabels, k);
            MethodResult r = new MethodResult(m, rule, val, test, seconds, valObjective, testObjective);
            results.add(r);
            if (best == null || valObjective > best.validationObjective() + 1e-12) {
                best = r;
            }
        }
        return new Report(results, best.method());
    }
}
