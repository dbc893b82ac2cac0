package dev.losslab.tune;

/**
 * The notebook's "absolute threshold" rule ("Pipeline, Training, Threshold Tuning, and Inference"
 * section): predict {@code argmax_k (p_k - t_k)}, the class whose probability exceeds its threshold
 * by the most. Ties go to the lowest class index.
 */
public record AbsoluteThresholdRule(double[] thresholds) implements DecisionRule {
    @Override
    public int numClasses() {
        return thresholds.length;
    }

    @Override
    public int[] predict(float[] probabilities) {
        return ThresholdArgmax.predict(probabilities, thresholds, false);
    }
}
