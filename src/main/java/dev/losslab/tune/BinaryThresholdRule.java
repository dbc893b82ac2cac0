package dev.losslab.tune;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** K = 2: class 1 when {@code p1 >= threshold}, else class 0 (the notebook's binary rule). */
public record BinaryThresholdRule(double threshold) implements DecisionRule {
    @Override
    @JsonIgnore
    public int numClasses() {
        return 2;
    }

    @Override
    public int[] predict(float[] probabilities) {
        int n = probabilities.length / 2;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = probabilities[2 * i + 1] >= threshold ? 1 : 0;
        }
        return out;
    }
}
