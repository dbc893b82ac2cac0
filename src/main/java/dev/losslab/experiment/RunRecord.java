package dev.losslab.experiment;

import dev.losslab.data.SourceProvenance;
import dev.losslab.metrics.Calibration;
import dev.losslab.train.OneDnn;
import dev.losslab.train.EpochRecord;
import dev.losslab.tune.DecisionRule;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code run.json}: the full config, provenance, data sizes, per-epoch history,
 * metrics on validation and test, and the tuned decision rule.
 *
 * @param classCounts per-class counts of the train, validation and test sets
 * @param phaseSeconds where the run's time went: process start-up (first run of a process), data load,
 *                     data preparation, graph build, training, evaluation, tuning, export
 * @param onednn whether TensorFlow ran its oneDNN kernels, and why ({@link OneDnn})
 * @param data the source: kind, paths, class names and counts, decoding, content SHA-256 (absent in
 *             runs made before own data existed)
 */
public record RunRecord(String status, RunConfig config, Provenance provenance, String device, int threads,
                        Map<String, int[]> classCounts, List<EpochRecord> history, SetMetrics validation,
                        SetMetrics test, DecisionRule rule, Tuning tuning, double trainSeconds, double wallSeconds,
                        String error, CalibrationMetrics calibration, SourceProvenance data,
                        List<NetworkLayer> network, Map<String, Double> phaseSeconds, String onednn, Training training) {

    /**
     * How the run trained: the recipe in a line, the epochs it ran, and where early stopping ended it and whose
     * weights it restored (1-based epochs; null when it did not): tuning, test metrics, the SavedModel and the
     * TensorBoard test logs all use the restored weights. With a fine-tuning phase, {@code stoppedEpoch} and
     * {@code restoredEpoch} are the last phase's that stopped or restored, numbered on across phases as the log numbers
     * them, and {@code phases} holds each phase's own ({@code train}, {@code fine_tune}, {@code crt}); {@code tau} is
     * the tau a {@code tau_norm} decoupling stage chose on validation.
     */
    public record Training(String recipe, int epochsRun, Integer stoppedEpoch, Integer restoredEpoch,
                           @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                           List<Phase> phases,
                           @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                           Double tau) {
        public Training(String recipe, int epochsRun, Integer stoppedEpoch, Integer restoredEpoch) {
            this(recipe, epochsRun, stoppedEpoch, restoredEpoch, null, null);
        }
    }

    /** One training phase ({@code train}, {@code fine_tune}): its epochs (1-based, numbered on) and its early stop. */
    public record Phase(String name, int firstEpoch, int lastEpoch, Integer stoppedEpoch, Integer restoredEpoch) {
    }

    /** One layer of the network as resolved for the run (what {@code losslab summary} prints). */
    public record NetworkLayer(String name, String type, int[] outputShape, long params, long trainableParams) {
    }

    /** A run that did not finish: its config, provenance and why. */
    public static RunRecord failed(RunConfig config, Provenance provenance, String device, String error, double wallSeconds) {
        return new RunRecord("failed", config, provenance, device, 0, null, null, null, null, null, null, 0, wallSeconds,
                error, null, null, null, null, OneDnn.state(), null);
    }

    /** Every tuning method's accuracies and objective values, the objective, and the method chosen on validation. */
    public record Tuning(String chosen, List<Method> methods, String objective) {
    }

    /** One tuning method's result; {@code crossFittedObjective} only when the choice was cross-fitted. */
    public record Method(String method, double validationAccuracy, double testAccuracy, double seconds,
                         DecisionRule rule, Double validationObjective, Double testObjective,
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                         Double crossFittedObjective) {
    }

    /** Metrics of one set under the default rule and the tuned rule; AUC does not depend on a rule. */
    public record SetMetrics(double auc, RuleMetrics defaultRule, RuleMetrics tuned) {
    }

    public record RuleMetrics(double accuracy, double balancedAccuracy, double f1) {
    }

    /**
     * How calibrated the probabilities are ({@link Calibration}): NLL, Brier and
     * top-label ECE (15 bins) on validation and test, the temperature fitted on validation NLL and the
     * test NLL and ECE after it (argmax unchanged), and test recall per class under the tuned rule.
     */
    public record CalibrationMetrics(double validationNll, double testNll, double testBrier, double testEce,
                                     double temperature, double testNllScaled, double testEceScaled,
                                     double[] testRecallPerClass, List<ReliabilityBin> testReliability) {
    }

    /** One top-label reliability bin of the test set (what a reliability diagram draws). */
    public record ReliabilityBin(double lower, double upper, int count, double confidence, double accuracy) {
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper READER = new com.fasterxml.jackson.databind.ObjectMapper()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The parsed run.json at {@code file}, or null when it is missing or unreadable (then the run is redone). */
    public static RunRecord read(java.nio.file.Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            return null;
        }
        try {
            return READER.readValue(file.toFile(), RunRecord.class);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
