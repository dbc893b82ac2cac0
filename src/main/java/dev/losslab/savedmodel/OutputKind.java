package dev.losslab.savedmodel;

import dev.losslab.LosslabException;
import java.util.Locale;

/**
 * What a model's output holds. {@code probabilities} are used as they are; {@code logits} are turned
 * into probabilities by softmax (sigmoid for a single output unit); {@code auto} looks at the first
 * batch: any value outside [0, 1], or (K > 1 units) a row not summing to 1 within 1e-3, means
 * logits. A single-unit output of logits that all happen to lie in [0, 1] reads as probabilities:
 * say {@code --outputs logits} for such a model.
 */
public enum OutputKind {
    AUTO, PROBABILITIES, LOGITS;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OutputKind parse(String s) {
        for (OutputKind k : values()) {
            if (k.configName().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return k;
            }
        }
        throw new LosslabException("unknown output kind '" + s + "'; valid: auto, probabilities, logits");
    }

    /** {@code auto}'s test on raw outputs {@code [rows, units]}. */
    public static OutputKind detect(float[] raw, int rows, int units) {
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int c = 0; c < units; c++) {
                float v = raw[i * units + c];
                if (!(v >= -1e-6f && v <= 1 + 1e-6f)) {
                    return LOGITS;
                }
                sum += v;
            }
            if (units > 1 && Math.abs(sum - 1) > 1e-3) {
                return LOGITS;
            }
        }
        return PROBABILITIES;
    }

    /**
     * Class probabilities {@code [rows, K]} from raw outputs {@code [rows, units]} of this (resolved)
     * kind: K = 2 for one unit (p0 = 1 - p1), K = units otherwise.
     */
    public float[] toProbabilities(float[] raw, int rows, int units) {
        if (this == AUTO) {
            throw new IllegalStateException("resolve auto first");
        }
        int k = units == 1 ? 2 : units;
        float[] p = new float[rows * k];
        for (int i = 0; i < rows; i++) {
            if (units == 1) {
                float v = raw[i];
                float p1 = this == LOGITS ? (float) (1 / (1 + Math.exp(-v))) : v;
                p[i * 2] = 1 - p1;
                p[i * 2 + 1] = p1;
                continue;
            }
            if (this == PROBABILITIES) {
                System.arraycopy(raw, i * units, p, i * k, units);
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < units; c++) {
                max = Math.max(max, raw[i * units + c]);
            }
            double z = 0;
            for (int c = 0; c < units; c++) {
                z += Math.exp(raw[i * units + c] - max);
            }
            for (int c = 0; c < units; c++) {
                p[i * k + c] = (float) (Math.exp(raw[i * units + c] - max) / z);
            }
        }
        return p;
    }
}
