package dev.losslab.tune;

import dev.losslab.LosslabException;
import dev.losslab.metrics.Metrics;
import dev.losslab.metrics.Objective;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits decision rules on validation probabilities and picks one: each requested method is fitted
 * to maximise the settings' {@link Objective} (accuracy by default) on validation, and the chosen
 * rule is the one with the best validation objective (ties: the simpler method, argmax first), or, with
 * {@code selectionFolds >= 2}, the best cross-fitted objective ({@link CrossFitting}; the chosen method is then
 * refitted on the whole validation set). Test probabilities, when given, are only scored, never used to choose.
 */
public final class Tuner {

    /**
     * One fitted method: its rule, validation and test accuracy (NaN without a test set), seconds,
     * the objective's validation and test values (equal to the accuracies for accuracy), and its cross-fitted
     * validation objective (NaN unless the selection is cross-fitted).
     */
    public record MethodResult(TuningMethod method, DecisionRule rule, double validationAccuracy, double testAccuracy,
                               double seconds, double validationObjective, double testObjective,
                               double crossFittedObjective) {
        /** What the choice compares: the cross-fitted objective when there is one, else the validation objective. */
        public double selectionObjective() {
            return Double.isNaN(crossFittedObjective) ? validationObjective : crossFittedObjective;
        }
    }

    /** Every method's result and the chosen one. */
    public record Report(List<MethodResult> methods, TuningMethod chosen) {
        public MethodResult chosenResult() {
            return methods.stream().filter(m -> m.method() == chosen).findFirst().orElseThrow();
        }
    }

    /** What to fit and how. */
    /**
     * What to fit and how; {@code selectionFolds} 0 chooses on the validation fit itself, 2 or more by cross-fitting
     * with that many stratified folds (seeded with the tree's seed).
     */
    public record Settings(List<TuningMethod> methods, SimplexSearch.Options search, DecisionTreeTuner.Options tree,
                           Objective objective, int selectionFolds) {
        public Settings {
            objective = objective == null ? Objective.ACCURACY : objective;
            tree = tree.withObjective(objective);
            if (selectionFolds != 0 && selectionFolds < 2) {
                throw new LosslabException("selection folds must be 0 (choose on validation) or at least 2 (got "
                        + selectionFolds + ")");
            }
        }

        public Settings(List<TuningMethod> methods, SimplexSearch.Options search, DecisionTreeTuner.Options tree,
                        Objective objective) {
            this(methods, search, tree, objective, 0);
        }

        public Settings(List<TuningMethod> methods, SimplexSearch.Options search, DecisionTreeTuner.Options tree) {
            this(methods, search, tree, Objective.ACCURACY);
        }

        /** The same settings choosing by cross-fitting over {@code folds} folds (0: on the validation fit). */
        public Settings withSelectionFolds(int folds) {
            return new Settings(methods, search, tree, objective, folds);
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
            double crossFitted = s.selectionFolds() >= 2
                    ? CrossFitting.score(m, valP, valLabels, k, s, s.selectionFolds(), s.tree().seed()) : Double.NaN;
            MethodResult r = new MethodResult(m, rule, val, test, seconds, valObjective, testObjective, crossFitted);
            results.add(r);
            if (best == null || r.selectionObjective() > best.selectionObjective() + 1e-12) {
                best = r;
            }
        }
        return new Report(results, best.method());
    }
}
