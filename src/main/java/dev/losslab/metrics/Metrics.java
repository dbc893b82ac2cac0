package dev.losslab.metrics;

import java.util.Arrays;

/**
 * Classification metrics on plain arrays. Probabilities are row-major {@code [n, K]}; labels and
 * predictions are 0..K-1. Multiclass F1 and AUC are macro averages of one-vs-rest scores; for
 * K = 2 they are the scores of class 1, the positive (minority) class.
 */
public final class Metrics {
    private Metrics() {
    }

    public static int[] argmax(float[] probabilities, int k) {
        int n = probabilities.length / k;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (probabilities[i * k + c] > probabilities[i * k + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    public static double accuracy(int[] predicted, int[] labels) {
        check(predicted, labels);
        int hit = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                hit++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) hit / labels.length;
    }

    /** {@code [true][predicted]} counts. */
    public static long[][] confusion(int[] predicted, int[] labels, int k) {
        check(predicted, labels);
        long[][] m = new long[k][k];
        for (int i = 0; i < labels.length; i++) {
            m[labels[i]][predicted[i]]++;
        }
        return m;
    }

    /** Mean per-class recall over the classes present in {@code labels}. */
    public static double balancedAccuracy(int[] predicted, int[] labels, int k) {
        return balancedAccuracy(confusion(predicted, labels, k));
    }

    /** Mean per-class recall over the classes present in a {@code [true][predicted]} confusion matrix. */
    public static double balancedAccuracy(long[][] m) {
        int k = m.length;
        double sum = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            long row = Arrays.stream(m[c]).sum();
            if (row > 0) {
                sum += (double) m[c][c] / row;
                present++;
            }
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    /** F1 of class 1 when K = 2, else macro F1 (a class with no true or predicted member scores 0). */
    public static double f1(int[] predicted, int[] labels, int k) {
        return f1(confusion(predicted, labels, k));
    }

    /** F1 of class 1 for a 2 x 2 confusion matrix, else macro F1. */
    public static double f1(long[][] m) {
        int k = m.length;
        if (k == 2) {
            return classF1(m, 1);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += classF1(m, c);
        }
        return sum / k;
    }

    private static double classF1(long[][] m, int c) {
        long tp = m[c][c];
        long fn = Arrays.stream(m[c]).sum() - tp;
        long fp = 0;
        for (long[] row : m) {
            fp += row[c];
        }
        fp -= tp;
        long denom = 2 * tp + fp + fn;
        return denom == 0 ? 0 : 2.0 * tp / denom;
    }

    /**
     * ROC AUC: for K = 2 of p[:, 1] against class 1, else the macro mean over classes of the
     * one-vs-rest AUC of p[:, k] (classes without both positives and negatives are skipped).
     * Computed as the Mann-Whitney U statistic with average ranks for ties.
     */
    public static double auc(float[] probabilities, int[] labels, int k) {
        if (k == 2) {
            return binaryAuc(column(probabilities, k, 1), labels, 1);
        }
        double sum = 0;
        int used = 0;
        for (int c = 0; c < k; c++) {
            double a = binaryAuc(column(probabilities, k, c), labels, c);
            if (!Double.isNaN(a)) {
                sum += a;
                used++;
            }
        }
        return used == 0 ? Double.NaN : sum / used;
    }

    public static float[] column(float[] probabilities, int k, int c) {
        int n = probabilities.length / k;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = probabilities[i * k + c];
        }
        return out;
    }

    static double binaryAuc(float[] scores, int[] labels, int positive) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                if (labels[order[t]] == positive) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    private static void check(int[] predicted, int[] labels) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        }
    }
}
