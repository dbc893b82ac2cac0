package dev.losslab.experiment;

import dev.losslab.tune.TemperatureScaling;
import dev.losslab.metrics.Calibration;
import dev.losslab.metrics.Metrics;
import dev.losslab.tune.DecisionRule;

/** What run.json records of a set's probabilities: metrics under the default and the tuned rule, and calibration. */
final class RunMetrics {
    private RunMetrics() {
    }

    static RunRecord.CalibrationMetrics calibration(float[] valP, int[] valY, float[] testP, int[] testY, int k,
                                                    DecisionRule tuned) {
        // temperature scaling is fitted on validation; without one, T = 1 (no scaling) and no validation NLL
        double t = valY.length == 0 ? 1.0 : TemperatureScaling.fit(valP, valY, k);
        float[] scaled = TemperatureScaling.apply(testP, k, t);
        return new RunRecord.CalibrationMetrics(valY.length == 0 ? Double.NaN : Calibration.nll(valP, valY, k),
                Calibration.nll(testP, testY, k),
                Calibration.brier(testP, testY, k), Calibration.ece(testP, testY, k), t, Calibration.nll(scaled, testY, k),
                Calibration.ece(scaled, testY, k), Calibration.perClassRecall(tuned.predict(testP), testY, k),
                java.util.Arrays.stream(Calibration.reliability(testP, testY, k, Calibration.ECE_BINS))
                        .map(b -> new RunRecord.ReliabilityBin(b.lower(), b.upper(), b.count(),
                                b.count() == 0 ? 0 : b.confidence(), b.count() == 0 ? 0 : b.accuracy())).toList());
    }

    static RunRecord.SetMetrics setMetrics(float[] p, int[] labels, int k, DecisionRule defaultRule, DecisionRule tuned) {
        return new RunRecord.SetMetrics(Metrics.auc(p, labels, k), ruleMetrics(defaultRule.predict(p), labels, k),
                ruleMetrics(tuned.predict(p), labels, k));
    }

    static RunRecord.RuleMetrics ruleMetrics(int[] predicted, int[] labels, int k) {
        return new RunRecord.RuleMetrics(Metrics.accuracy(predicted, labels), Metrics.balancedAccuracy(predicted, labels, k),
                Metrics.f1(predicted, labels, k));
    }

}
