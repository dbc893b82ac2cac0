package dev.losslab.data;

import dev.losslab.LosslabException;
import java.util.Arrays;

/**
 * Which Fashion-MNIST classes to keep and in what balance. Exactly one of {@code distribution}
 * and {@code keepFractions} is given.
 *
 * @param classes Fashion-MNIST ids (0..9), in the order that defines labels 0..K-1
 * @param distribution class proportions summing to 1, or null
 * @param keepFractions per-class fraction of images to keep, each in (0,1], or null
 * @param validationFraction share of the subset held out, stratified, for validation and tuning
 */
public record DataSpec(int[] classes, double[] distribution, double[] keepFractions, double validationFraction) {

    /** Throws a one-line {@link LosslabException} naming the first problem. */
    public DataSpec validate() {
        if (classes == null || classes.length < 2) {
            throw new LosslabException("classes: need at least 2 Fashion-MNIST class ids, got "
                    + (classes == null ? "none" : Arrays.toString(classes)));
        }
        boolean[] seen = new boolean[10];
        for (int c : classes) {
            if (c < 0 || c > 9) {
                throw new LosslabException("classes: id " + c + " is outside 0..9");
            }
            if (seen[c]) {
                throw new LosslabException("classes: id " + c + " is listed twice");
            }
            seen[c] = true;
        }
        if ((distribution == null) == (keepFractions == null)) {
            throw new LosslabException("give exactly one of distribution or keepFractions");
        }
        if (distribution != null) {
            if (distribution.length != classes.length) {
                throw new LosslabException("distribution has " + distribution.length + " entries for " + classes.length + " classes");
            }
            double sum = 0;
            for (double d : distribution) {
                if (!(d > 0 && d <= 1)) {
                    throw new LosslabException("distribution: proportion " + d + " is outside (0,1]");
                }
                sum += d;
            }
            if (Math.abs(sum - 1) > 1e-6) {
                throw new LosslabException("distribution " + Arrays.toString(distribution) + " sums to " + sum + ", not 1");
            }
        } else {
            if (keepFractions.length != classes.length) {
                throw new LosslabException("keepFractions has " + keepFractions.length + " entries for " + classes.length + " classes");
            }
            for (double f : keepFractions) {
                if (!(f > 0 && f <= 1)) {
                    throw new LosslabException("keepFractions: " + f + " is outside (0,1]");
                }
            }
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new LosslabException("validationFraction " + validationFraction + " is outside (0,1)");
        }
        return this;
    }

    public int numClasses() {
        return classes.length;
    }
}
