package dev.losslab.api;

import dev.losslab.experiment.TrainingRun;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.losslab.LosslabException;
import dev.losslab.experiment.RunConfig;
import dev.losslab.tune.DecisionRule;
import dev.losslab.tune.Tuner;
import java.util.stream.IntStream;

/**
 * Post-hoc decision rules on probabilities from any model, as losslab tunes its own runs: argmax
 * plus, for two classes, a threshold grid (0.000..1.000 step 0.001), and for more, a decision tree on
 * the probabilities (Smile, cross-validated) and absolute and relative thresholds; the method with the
 * best validation objective wins, ties to the simpler one. Rules serialise to the same JSON
 * {@code losslab predict --rule} reads.
 */
public final class ThresholdTuning {
    private ThresholdTuning() {
    }

    /**
     * The rule maximising validation accuracy.
     *
     * @param validationProbabilities {@code [n][K]} rows of class probabilities
     * @param validationLabels        true classes 0..K-1
     * @return the rule chosen on validation
     */
    public static DecisionRule fit(double[][] validationProbabilities, int[] validationLabels) {
        return fit(validationProbabilities, validationLabels, "accuracy", 1L);
    }

    /**
     * The rule maximising {@code objective} (accuracy, balanced_accuracy or macro_f1) on validation.
     *
     * @param probabilities {@code [n][K]} rows of class probabilities
     * @param labels        true classes 0..K-1
     * @param objective     accuracy, balanced_accuracy or macro_f1
     * @param seed          seeds the tree's cross-validation and any random search
     * @return the rule chosen on validation
     */
    public static DecisionRule fit(double[][] probabilities, int[] labels, String objective, long seed) {
        int k = check(probabilities, labels);
        int[] classes = IntStream.range(0, k).toArray();
        RunConfig settings = new RunConfig("api", classes, null, null, null, null, null, null, null, seed, null, null, null,
                null, null, null, null, objective, null, null, null, null, null, null, null, null, null, null);
        float[] p = flat(probabilities, k);
        Tuner.Report report = Tuner.tune(p, labels, p, labels, k, settings.tuningSettings());
        return report.chosenResult().rule();
    }

    /**
     * Applies a rule.
     *
     * @param rule          a rule from {@link #fit} or {@link #fromJson}
     * @param probabilities {@code [n][K]} rows of class probabilities
     * @return each row's class under {@code rule}
     */
    public static int[] predict(DecisionRule rule, double[][] probabilities) {
        return rule.predict(flat(probabilities, rule.numClasses()));
    }

    /**
     * Writes a rule as JSON.
     *
     * @param rule any rule
     * @return the rule's JSON, the {@code decision-rule.json} format {@code losslab predict --rule} reads
     */
    public static String toJson(DecisionRule rule) {
        try {
            return TrainingRun.JSON.writeValueAsString(rule);
        } catch (JsonProcessingException e) {
            throw new LosslabException("cannot write the rule: " + e.getOriginalMessage());
        }
    }

    /**
     * Reads a rule from JSON.
     *
     * @param json a {@code decision-rule.json} text
     * @return the rule it describes
     */
    public static DecisionRule fromJson(String json) {
        try {
            return TrainingRun.JSON.readValue(json, DecisionRule.class);
        } catch (JsonProcessingException e) {
            throw new LosslabException("not a losslab decision rule: " + e.getOriginalMessage());
        }
    }

    private static int check(double[][] p, int[] labels) {
        if (p.length == 0 || p.length != labels.length) {
            throw new LosslabException(p.length + " probability rows for " + labels.length + " labels");
        }
        int k = p[0].length;
        if (k < 2) {
            throw new LosslabException("need probabilities of at least 2 classes, got " + k);
        }
        for (int i = 0; i < labels.length; i++) {
            if (p[i].length != k) {
                throw new LosslabException("row " + i + " has " + p[i].length + " probabilities, row 0 has " + k);
            }
            if (labels[i] < 0 || labels[i] >= k) {
                throw new LosslabException("label " + labels[i] + " at row " + i + " is outside 0.." + (k - 1));
            }
        }
        return k;
    }

    private static float[] flat(double[][] p, int k) {
        float[] out = new float[p.length * k];
        for (int i = 0; i < p.length; i++) {
            if (p[i].length != k) {
                throw new LosslabException("row " + i + " has " + p[i].length + " probabilities; the rule is for " + k);
            }
            for (int c = 0; c < k; c++) {
                out[i * k + c] = (float) p[i][c];
            }
        }
        return out;
    }
}
