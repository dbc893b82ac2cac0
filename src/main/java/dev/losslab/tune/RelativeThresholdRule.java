package dev.losslab.tune;

/**
 * The notebook's "relative threshold" rule: predict {@code argmax_k (p_k / t_k)}, the class whose
 * probability is the largest multiple of its threshold. For p = {0.4, 0, 0.7} and t = {0.25, 0.25,
 * 0.5} it picks class A (1.6 > 1.4) where the absolute rule picks class C. Ties go to the lowest
 * class index.
 */
public record RelativeThresholdRule(double[] thresholds) implements DecisionRule {
    @Override
    public int numClasses() {
        return thresholds.length;
    }

    @Override
    public int[] predict(float[] probabilities) {
        return ThresholdArgmax.predict(probabilities, thresholds, true);
    }
}
