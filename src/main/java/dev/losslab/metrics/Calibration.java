package dev.losslab.metrics;

/**
 * How well probabilities {@code p [n, K]} (row-major) match outcomes, pure Java.
 *
 * <ul>
 * <li>NLL: mean of -log p_{i, y_i} (probabilities clamped at 1e-12);
 * <li>Brier score: mean over samples of sum_k (p_ik - [y_i = k])^2 (Brier 1950, multi-category
 * form; 0 is perfect, 2 the worst);
 * <li>ECE, top label: the samples' largest probability ("confidence") binned into {@code bins}
 * equal-width bins over [0, 1] (bin b holds (b/B, (b+1)/B], the first also 0), ECE = sum_b |B_b|/n
 * |accuracy(B_b) - mean confidence(B_b)| (Guo et al. 2017, "On Calibration of Modern Neural
 * Networks", eq. 3; 15 bins as there).
 * </ul>
 */
public final class Calibration {
    public static final int ECE_BINS = 15;
    private static final double FLOOR = 1e-12;

    private Calibration() {
    }

    public static double nll(float[] p, int[] labels, int k) {
        double s = 0;
        for (int i = 0; i < labels.length; i++) {
            s -= Math.log(Math.max(p[i * k + labels[i]], FLOOR));
        }
        return s / labels.length;
    }

    public static double brier(float[] p, int[] labels, int k) {
        double s = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int c = 0; c < k; c++) {
                double d = p[i * k + c] - (labels[i] == c ? 1 : 0);
                s += d * d;
            }
        }
        return s / labels.length;
    }

    /** One reliability bin: its range, how many samples, their mean confidence and accuracy. */
    public record Bin(double lower, double upper, int count, double confidence, double accuracy) {
    }

    /** The top-label reliability bins (what a reliability diagram draws). */
    public static Bin[] reliability(float[] p, int[] labels, int k, int bins) {
        int[] count = new int[bins];
        double[] conf = new double[bins];
        double[] correct = new double[bins];
        for (int i = 0; i < labels.length; i++) {
            int top = 0;
            for (int c = 1; c < k; c++) {
                if (p[i * k + c] > p[i * k + top]) {
                    top = c;
                }
            }
            double confidence = p[i * k + top];
            // float probabilities sit a hair off the decimal boundaries (0.6f = 0.60000002): within 1e-6 of
            // a boundary counts as on it
            int b = Math.min(bins - 1, Math.max(0, (int) Math.ceil(confidence * bins - 1e-6) - 1));
            count[b]++;
            conf[b] += confidence;
            correct[b] += top == labels[i] ? 1 : 0;
        }
        Bin[] out = new Bin[bins];
        for (int b = 0; b < bins; b++) {
            out[b] = new Bin((double) b / bins, (double) (b + 1) / bins, count[b],
                    count[b] == 0 ? Double.NaN : conf[b] / count[b], count[b] == 0 ? Double.NaN : correct[b] / count[b]);
        }
        return out;
    }

    public static double ece(float[] p, int[] labels, int k, int bins) {
        double s = 0;
        for (Bin b : reliability(p, labels, k, bins)) {
            if (b.count() > 0) {
                s += (double) b.count() / labels.length * Math.abs(b.accuracy() - b.confidence());
            }
        }
        return s;
    }

    public static double ece(float[] p, int[] labels, int k) {
        return ece(p, labels, k, ECE_BINS);
    }

    /** Recall of each class: correct predictions of class c over the samples of class c (NaN when none). */
    public static double[] perClassRecall(int[] predicted, int[] labels, int k) {
        double[] hit = new double[k];
        double[] n = new double[k];
        for (int i = 0; i < labels.length; i++) {
            n[labels[i]]++;
            hit[labels[i]] += predicted[i] == labels[i] ? 1 : 0;
        }
        double[] r = new double[k];
        for (int c = 0; c < k; c++) {
            r[c] = n[c] == 0 ? Double.NaN : hit[c] / n[c];
        }
        return r;
    }
}
