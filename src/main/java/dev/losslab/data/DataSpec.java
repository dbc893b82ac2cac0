package dev.losslab.data;

import dev.losslab.LosslabException;
import java.util.Arrays;

/**
 * Which classes of a source to keep and in what balance. At most one of {@code distribution},
 * {@code keepFractions} and {@code imbalance} is given; none keeps every image of the chosen classes.
 *
 * @param classes positions in the source's class list (Fashion-MNIST: its ids 0..9), in the order
 *                that defines labels 0..K-1
 * @param distribution class proportions summing to 1, or null
 * @param keepFractions per-class fraction of images to keep, each in (0,1], or null
 * @param imbalance the long-tail rule (training set only), or null
 * @param validationFraction share of the subset held out, stratified, for validation and tuning
 */
public record DataSpec(int[] classes, double[] distribution, double[] keepFractions, Imbalance imbalance,
                       double validationFraction) {

    public DataSpec(int[] classes, double[] distribution, double[] keepFractions, double validationFraction) {
        this(classes, distribution, keepFractions, null, validationFraction);
    }

    /** Fashion-MNIST's checks: 10 source classes, and a balance is required. */
    public DataSpec validate() {
        if ((distribution == null) == (keepFractions == null) && imbalance == null) {
            throw new LosslabException("give exactly one of distribution or keepFractions");
        }
        return validate(FashionMnist.CLASS_NAMES.size(), "Fashion-MNIST class ids");
    }

    /**
     * Throws a one-line {@link LosslabException} naming the first problem.
     *
     * @param sourceClasses how many classes the source has
     * @param what how class ids are called in messages
     */
    public DataSpec validate(int sourceClasses, String what) {
        if (classes == null || classes.length < 2) {
            throw new LosslabException("classes: need at least 2 " + what + ", got "
                    + (classes == null ? "none" : Arrays.toString(classes)));
        }
        boolean[] seen = new boolean[sourceClasses];
        for (int c : classes) {
            if (c < 0 || c >= sourceClasses) {
                throw new LosslabException("classes: id " + c + " is outside 0.." + (sourceClasses - 1));
            }
            if (seen[c]) {
                throw new LosslabException("classes: id " + c + " is listed twice");
            }
            seen[c] = true;
        }
        int given = (distribution != null ? 1 : 0) + (keepFractions != null ? 1 : 0) + (imbalance != null ? 1 : 0);
        if (given > 1) {
            throw new LosslabException("give at most one of distribution, keepFractions and imbalance");
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
        } else if (keepFractions != null) {
            if (keepFractions.length != classes.length) {
                throw new LosslabException("keepFractions has " + keepFractions.length + " entries for " + classes.length + " classes");
            }
            for (double f : keepFractions) {
                if (!(f > 0 && f <= 1)) {
                    throw new LosslabException("keepFractions: " + f + " is outside (0,1]");
                }
            }
        } else if (imbalance != null) {
            imbalance.validate();
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new LosslabException("validationFraction " + validationFraction + " is outside [0,1) (0: train on "
                    + "everything, no validation set)");
        }
        return this;
    }

    public int numClasses() {
        return classes.length;
    }
}
