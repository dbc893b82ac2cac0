package dev.losslab.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.losslab.LosslabException;
import java.util.Locale;

/**
 * The long-tail convention of the field (Cui et al. 2019, "Class-Balanced Loss Based on Effective
 * Number of Samples", Sec. 6; Cao et al. 2019, LDAM-DRW, {@code imbalance_cifar.py}): class i of K
 * keeps {@code n_i = floor(n_max * ratio^(-i/(K-1)))} images ({@code exp}), or the first half of the
 * classes keep {@code n_max} and the rest {@code floor(n_max / ratio)} ({@code step}); the test set
 * is left untouched. {@code n_max} is the most that class 0 can keep while every class can supply its
 * share (with equal class sizes: all of class 0's images).
 *
 * @param type  "exp" (default) or "step"
 * @param ratio n_max / n_min, >= 1 (CIFAR-10-LT uses 100 and 10)
 */
public record Imbalance(String type, double ratio) {
    public Imbalance {
        type = type == null ? "exp" : type.trim().toLowerCase(Locale.ROOT);
    }

    public Imbalance validate() {
        if (!type.equals("exp") && !type.equals("step")) {
            throw new LosslabException("imbalance.type: unknown '" + type + "'; valid: exp, step");
        }
        if (!(ratio >= 1 && ratio < 1e9)) {
            throw new LosslabException("imbalance.ratio must be >= 1 (n_max / n_min), got " + ratio);
        }
        return this;
    }

    /** Share of n_max that class {@code i} of {@code k} keeps. */
    public double factor(int i, int k) {
        if (k < 2) {
            return 1;
        }
        if (type.equals("step")) {
            return i < k / 2 ? 1 : 1 / ratio;
        }
        return Math.pow(ratio, -(double) i / (k - 1));
    }

    /** Images each class keeps, given how many it has. */
    public int[] counts(int[] available) {
        int k = available.length;
        double nMax = Double.POSITIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            nMax = Math.min(nMax, available[i] / factor(i, k));
        }
        int[] counts = new int[k];
        for (int i = 0; i < k; i++) {
            // the epsilon keeps floor(5000 * 0.01) at 50 when the power lands a hair below it
            counts[i] = (int) Math.min(available[i], Math.floor(nMax * factor(i, k) + 1e-9));
        }
        return counts;
    }

    /** A split name, e.g. "exp100". */
    @JsonIgnore
    public String splitName() {
        return type + (ratio == Math.rint(ratio) ? String.valueOf((long) ratio) : String.valueOf(ratio).replace('.', 'p'));
    }
}
