package dev.losslab.tune;

import dev.losslab.metrics.Metrics;

/** The untuned default: the most probable class (for K = 2, p1 >= 0.5 up to ties at exactly 0.5). */
public record ArgmaxRule(int numClasses) implements DecisionRule {
    @Override
    public int[] predict(float[] probabilities) {
        if (numClasses == 2) {
            return new BinaryThresholdRule(0.5).predict(probabilities);
        }
        return Metrics.argmax(probabilities, numClasses);
    }
}
