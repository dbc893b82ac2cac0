package dev.losslab.metrics;

import dev.losslab.LosslabException;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a decision rule is tuned to maximise, as a function of the confusion matrix
 * ({@code [true][predicted]} counts), the way scikit-learn's searches take a scorer: accuracy (the
 * notebook's), balanced accuracy (mean recall over the classes present), macro-F1 (binary: F1 of
 * class 1, as {@link Metrics#f1}), or cost: minus the mean cost sum_ij C[i][j] confusion[i][j] / n
 * for a K x K matrix C (C[i][j]: the cost of predicting j for true class i).
 */
public record Objective(String name, double[][] cost) {
    public static final Objective ACCURACY = new Objective("accuracy", null);
    public static final Objective BALANCED_ACCURACY = new Objective("balanced_accuracy", null);
    public static final Objective MACRO_F1 = new Objective("macro_f1", null);

    /** Parses a name; {@code cost} needs {@code costMatrix}, the others refuse one. */
    public static Objective parse(String name, double[][] costMatrix, int k) {
        String n = name == null ? "accuracy" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "accuracy", "balanced_accuracy", "macro_f1" -> {
                if (costMatrix != null) {
                    throw new LosslabException("a cost matrix is only used with objective 'cost', not '" + n + "'");
                }
                return new Objective(n, null);
            }
            case "cost" -> {
                if (costMatrix == null || costMatrix.length != k) {
                    throw new LosslabException("objective 'cost' needs a " + k + " x " + k + " cost matrix");
                }
                for (double[] row : costMatrix) {
                    if (row == null || row.length != k) {
                        throw new LosslabException("the cost matrix must be " + k + " x " + k);
                    }
                    for (double v : row) {
                        if (!Double.isFinite(v)) {
                            throw new LosslabException("the cost matrix holds " + v + "; costs must be finite");
                        }
                    }
                }
                return new Objective("cost", Arrays.stream(costMatrix).map(double[]::clone).toArray(double[][]::new));
            }
            default -> throw new LosslabException("unknown objective '" + name
                    + "'; valid: accuracy, balanced_accuracy, macro_f1, cost");
        }
    }

    public boolean isAccuracy() {
        return name.equals("accuracy");
    }

    /** The objective's value for a confusion matrix (larger is better). */
    public double score(long[][] m) {
        int k = m.length;
        long n = 0;
        long hits = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                n += m[i][j];
            }
            hits += m[i][i];
        }
        if (n == 0) {
            return Double.NaN;
        }
        switch (name) {
            case "accuracy":
                return (double) hits / n;
            case "balanced_accuracy":
                return Metrics.balancedAccuracy(m);
            case "macro_f1":
                return Metrics.f1(m);
            default: {
                double total = 0;
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        total += cost[i][j] * m[i][j];
                    }
                }
                return -total / n;
            }
        }
    }

    /** The objective of {@code predicted} against {@code labels}. */
    public double score(int[] predicted, int[] labels, int k) {
        return score(Metrics.confusion(predicted, labels, k));
    }
}
