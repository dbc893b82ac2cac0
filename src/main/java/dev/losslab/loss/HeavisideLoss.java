package dev.losslab.loss;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Tsoi et al., "An End-to-End Approach for Training Neural Network Binary Classifiers on Metrics
 * Based on the Confusion Matrix" (seed 002): {@code 1 - metric} computed from soft confusion-matrix
 * sets (eq. 3, or the published package's masked form, see {@link SoftSetForm}) built with a
 * Heaviside approximation ({@link HeavisideApproximation.Sigmoid}, k = 10, or
 * {@link HeavisideApproximation.Linear} of eq. 5, delta = 0.1).
 *
 * <ul>
 *   <li>accuracy: {@code (TP + TN) / (TP + TN + FP + FN)} (section 3, "Metrics and losses");</li>
 *   <li>fbeta: {@code (1 + b^2) TP / ((1 + b^2) TP + b^2 FN + FP)}, f1 = fbeta with b = 1;</li>
 *   <li>auroc: section 3 integrates TPR over FPR across thresholds: soft TPR and FPR at tau in
 *   {0, 0.1, ..., 1} (eq. 3) with 0 and 1 clamped to 0.01 and 0.99 as the research code does, or the
 *   9 interior thresholds for the masked form as the published package does; trapezoid area with
 *   the points taken in decreasing tau (increasing FPR: H is non-increasing in tau, so this is the
 *   FPR order without a sort).</li>
 * </ul>
 * Accuracy and fbeta use threshold tau (default 0.5, the paper's experiments) or, given a list,
 * the mean of the metric over those thresholds (as the authors' code does with 0.1..0.9).
 *
 * <p>K = 2: the binary metric of class 1. K > 2 (the research code's adaptation): one-vs-rest on
 * each softmax column, macro mean over classes.
 */
public final class HeavisideLoss implements Loss {
    /** What is measured from the soft sets. */
    public enum Metric { ACCURACY, F1, FBETA, AUROC }

    private final String name;
    private final HeavisideApproximation heaviside;
    private final SoftSetForm form;
    private final Metric metric;
    private final double[] taus;
    private final double beta;

    public HeavisideLoss(String name, HeavisideApproximation heaviside, SoftSetForm form, Metric metric, double[] taus,
                         double beta) {
        this.name = name;
        this.heaviside = heaviside;
        this.form = form;
        this.metric = metric;
        this.taus = taus.clone();
        this.beta = beta;
    }

    @Override
    public String name() {
        return name;
    }

    /** The thresholds the AUROC loss integrates over, in decreasing order. */
    public static double[] aurocThresholds(SoftSetForm form) {
        List<Double> t = new ArrayList<>();
        int from = form == SoftSetForm.EQ3 ? 10 : 9;
        int to = form == SoftSetForm.EQ3 ? 0 : 1;
        for (int i = from; i >= to; i--) {
            t.add(clamp(i / 10.0));
        }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Thresholds of exactly 0 or 1 are clamped to 0.01 and 0.99 (the research code's rule). */
    static double clamp(double tau) {
        return tau <= 0 ? 0.01 : tau >= 1 ? 0.99 : tau;
    }

    @Override
    public <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
        Ops s = tf.withSubScope(name);
        LossOps.Columns<T> c = LossOps.columns(s, labels, logits, numClasses);
        if (metric == Metric.AUROC) {
            // tau decreasing, so FPR increases along the last axis; trapezoid over consecutive points
            double[] t = aurocThresholds(form);
            SoftConfusion<T> cm = SoftConfusion.heaviside(s, c, heaviside, t, form);
            Operand<T> tpr = cm.truePositiveRate(s);
            Operand<T> fpr = cm.falsePositiveRate(s);
            Operand<T> dFpr = s.math.sub(tail(s, fpr, t.length), head(s, fpr, t.length));
            Operand<T> meanTpr = s.math.mul(s.math.add(tail(s, tpr, t.length), head(s, tpr, t.length)),
                    LossOps.scalar(s, 0.5, tpr));
            Operand<T> area = s.reduceSum(s.math.mul(dFpr, meanTpr), s.constant(1));
            return LossOps.oneMinus(s, LossOps.mean(s, area));
        }
        double[] clamped = new double[taus.length];
        for (int i = 0; i < taus.length; i++) {
            clamped[i] = clamp(taus[i]);
        }
        SoftConfusion<T> cm = SoftConfusion.heaviside(s, c, heaviside, clamped, form);
        Operand<T> m = metric == Metric.ACCURACY ? cm.accuracy(s) : cm.fBeta(s, metric == Metric.F1 ? 1 : beta);
        // mean over thresholds, then over classes: with equal counts per class this is the overall mean
        return LossOps.oneMinus(s, LossOps.mean(s, m));
    }

    /** Columns 1..T-1 of {@code [C, T]}. */
    private static <T extends TNumber> Operand<T> tail(Ops tf, Operand<T> x, int t) {
        return tf.slice(x, tf.constant(new int[] {0, 1}), tf.constant(new int[] {-1, t - 1}));
    }

    /** Columns 0..T-2 of {@code [C, T]}. */
    private static <T extends TNumber> Operand<T> head(Ops tf, Operand<T> x, int t) {
        return tf.slice(x, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, t - 1}));
    }
}
