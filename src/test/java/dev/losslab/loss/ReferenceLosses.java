package dev.losslab.loss;

import java.util.Map;

/**
 * Plain-Java transcriptions of every loss's formula, written from the papers and the notebook
 * independently of the graph code, in double precision.
 */
final class ReferenceLosses {
    private static final double EPS = 1e-7;

    private ReferenceLosses() {
    }

    private static double[] counts(Map<String, Object> params) {
        Object v = params.get("_counts");
        return v == null ? null : ((java.util.List<?>) v).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }

    /** Cui et al. 2019: (1 - beta) / (1 - beta^n), normalised to sum K. */
    private static double[] classBalanced(double[] counts, Map<String, Object> params) {
        double beta = ((Number) params.getOrDefault("beta", 0.9999)).doubleValue();
        double[] w = new double[counts.length];
        double sum = 0;
        for (int c = 0; c < w.length; c++) {
            w[c] = (1 - beta) / (1 - Math.pow(beta, counts[c]));
            sum += w[c];
        }
        for (int c = 0; c < w.length; c++) {
            w[c] *= w.length / sum;
        }
        return w;
    }

    /** @param logits {@code [B][1]} for K = 2, {@code [B][K]} otherwise */
    static double value(String name, Map<String, Object> params, int[] labels, double[][] logits, int k) {
        int b = labels.length;
        double[][] p = new double[b][k];
        for (int i = 0; i < b; i++) {
            if (k == 2) {
                double s = 1 / (1 + Math.exp(-logits[i][0]));
                p[i][0] = 1 - s;
                p[i][1] = s;
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : logits[i]) {
                    max = Math.max(max, v);
                }
                double z = 0;
                for (int c = 0; c < k; c++) {
                    z += Math.exp(logits[i][c] - max);
                }
                for (int c = 0; c < k; c++) {
                    p[i][c] = Math.exp(logits[i][c] - max) / z;
                }
            }
        }
        // one-vs-rest columns: class 1 only for K = 2, every class otherwise
        int first = k == 2 ? 1 : 0;
        int columns = k == 2 ? 1 : k;
        double[][] pc = new double[columns][b];
        double[][] yc = new double[columns][b];
        for (int c = 0; c < columns; c++) {
            for (int i = 0; i < b; i++) {
                pc[c][i] = p[i][first + c];
                yc[c][i] = labels[i] == first + c ? 1 : 0;
            }
        }
        double num = params.getOrDefault("beta", 1.0) instanceof Number n ? n.doubleValue() : 1.0;
        double beta = num;
        switch (name) {
            case "crossentropy": {
                double sum = 0;
                for (int i = 0; i < b; i++) {
                    sum -= Math.log(p[i][labels[i]]);
                }
                return sum / b;
            }
            case "class_balanced_focal":
            case "focal": {
                double gamma = ((Number) params.getOrDefault("gamma", 2.0)).doubleValue();
                double alpha = ((Number) params.getOrDefault("alpha", 0.25)).doubleValue();
                double[] cb = name.equals("class_balanced_focal") && counts(params) != null
                        ? classBalanced(counts(params), params) : null;
                double sum = 0;
                for (int i = 0; i < b; i++) {
                    double pt = p[i][labels[i]];
                    double at = cb != null ? cb[labels[i]] : k == 2 ? (labels[i] == 1 ? alpha : 1 - alpha) : 1;
                    sum += -at * Math.pow(1 - pt, gamma) * Math.log(pt);
                }
                return sum / b;
            }
            case "class_balanced_crossentropy":
            case "weighted_crossentropy":
            case "logit_adjusted_crossentropy": {
                // CE_i from the (adjusted) logits; weight w_{y_i}
                Object list = params.get(name.startsWith("weighted") ? "weights" : "priors");
                double[] v = list == null ? null : ((java.util.List<?>) list).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
                double[] counts = counts(params);
                if (v == null && counts != null) {
                    double n = java.util.Arrays.stream(counts).sum();
                    v = new double[counts.length];
                    for (int c = 0; c < counts.length; c++) {
                        v[c] = name.startsWith("weighted") ? n / (counts.length * counts[c])
                                : name.startsWith("class") ? classBalanced(counts, params)[c] : counts[c] / n;
                    }
                }
                if (name.startsWith("class")) {
                    name = "weighted_crossentropy"; // the same formula with the class-balanced weights
                }
                double tau = ((Number) params.getOrDefault("tau", 1.0)).doubleValue();
                double sum = 0;
                for (int i = 0; i < b; i++) {
                    double ce;
                    if (k == 2) {
                        double z = logits[i][0];
                        if (v != null && name.startsWith("logit")) {
                            z += tau * (Math.log(v[1]) - Math.log(v[0]));
                        }
                        double s1 = 1 / (1 + Math.exp(-z));
                        ce = labels[i] == 1 ? -Math.log(s1) : -Math.log(1 - s1);
                    } else {
                        double[] z = logits[i].clone();
                        if (v != null && name.startsWith("logit")) {
                            for (int c = 0; c < k; c++) {
                                z[c] += tau * Math.log(v[c]);
                            }
                        }
                        double max = java.util.Arrays.stream(z).max().orElseThrow();
                        double lse = 0;
                        for (double zc : z) {
                            lse += Math.exp(zc - max);
                        }
                        ce = -(z[labels[i]] - max - Math.log(lse));
                    }
                    double w = v != null && name.startsWith("weighted") ? v[labels[i]] : 1;
                    sum += w * ce;
                }
                return sum / b;
            }
            case "crossentropy_drw", "normed_crossentropy": {
                // LDAM without margins (Cao et al.'s ablations): CE-DRW at scale 1, normalised CE at scale s (30)
                Map<String, Object> asLdam = new java.util.HashMap<>(params);
                asLdam.put("maxMargin", 0.0);
                asLdam.putIfAbsent("s", name.equals("crossentropy_drw") ? 1.0 : 30.0);
                return value("ldam", asLdam, labels, logits, k);
            }
            case "ldam": {
                double maxMargin = ((Number) params.getOrDefault("maxMargin", 0.5)).doubleValue();
                double scale = ((Number) params.getOrDefault("s", 30.0)).doubleValue();
                double[] counts = counts(params);
                double[] weights = params.containsKey("_weights") ? ((java.util.List<?>) params.get("_weights")).stream()
                        .mapToDouble(o -> ((Number) o).doubleValue()).toArray() : null;
                double[] delta = new double[k];
                if (counts != null) {
                    double max = 0;
                    for (int c = 0; c < k; c++) {
                        delta[c] = Math.pow(counts[c], -0.25);
                        max = Math.max(max, delta[c]);
                    }
                    for (int c = 0; c < k; c++) {
                        delta[c] *= maxMargin / max;
                    }
                }
                double sum = 0;
                for (int i = 0; i < b; i++) {
                    double[] z = k == 2 ? new double[] {0, logits[i][0]} : logits[i].clone();
                    z[labels[i]] -= delta[labels[i]];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < k; c++) {
                        z[c] *= scale;
                        max = Math.max(max, z[c]);
                    }
                    double lse = 0;
                    for (double v : z) {
                        lse += Math.exp(v - max);
                    }
                    double w = weights == null ? 1 : weights[labels[i]];
                    sum += w * -(z[labels[i]] - max - Math.log(lse));
                }
                return sum / b;
            }
            case "surrogate_fbeta": {
                double fBeta = ((Number) params.getOrDefault("beta", 1.0)).doubleValue();
                boolean classMean = "class_mean".equals(params.get("reduction"));
                double[] counts = counts(params);
                double total = 0;
                for (int c = 0; c < columns; c++) {
                    int cls = first + c;
                    double share = counts == null ? 1.0 / k : counts[cls] / java.util.Arrays.stream(counts).sum();
                    double off = fBeta * fBeta * share / (1 - share);
                    double posSum = 0;
                    double negSum = 0;
                    int nPos = 0;
                    for (int i = 0; i < b; i++) {
                        double pi = pc[c][i];
                        if (yc[c][i] == 1) {
                            posSum += -Math.log(pi + EPS);
                            nPos++;
                        } else {
                            negSum += Math.log(off + pi);
                        }
                    }
                    total += classMean ? posSum / Math.max(nPos, 1) + negSum / Math.max(b - nPos, 1) : (posSum + negSum) / b;
                }
                return total / columns;
            }
            case "pairwise_hinge": {
                double margin = ((Number) params.getOrDefault("margin", 1.0)).doubleValue();
                if (k > 2 && "crammer_singer".equals(params.get("multiclass"))) {
                    double sum = 0;
                    for (int i = 0; i < b; i++) {
                        double rival = Double.NEGATIVE_INFINITY;
                        for (int c = 0; c < k; c++) {
                            if (c != labels[i]) {
                                rival = Math.max(rival, p[i][c]);
                            }
                        }
                        sum += Math.max(0, margin + rival - p[i][labels[i]]);
                    }
                    return sum / b;
                }
                double total = 0;
                int used = 0;
                for (int c = 0; c < columns; c++) {
                    double sum = 0;
                    int pairs = 0;
                    for (int i = 0; i < b; i++) {
                        for (int j = 0; j < b; j++) {
                            if (yc[c][i] == 1 && yc[c][j] == 0) {
                                sum += Math.max(0, margin - (pc[c][i] - pc[c][j]));
                                pairs++;
                            }
                        }
                    }
                    if (pairs > 0) {
                        total += sum / pairs;
                        used++;
                    }
                }
                return used == 0 ? 0 : total / used;
            }
            case "soft_f1": {
                double f1 = 0;
                for (int c = 0; c < columns; c++) {
                    double tp = 0;
                    double fp = 0;
                    double fn = 0;
                    for (int i = 0; i < b; i++) {
                        tp += pc[c][i] * yc[c][i];
                        fp += pc[c][i] * (1 - yc[c][i]);
                        fn += (1 - pc[c][i]) * yc[c][i];
                    }
                    f1 += 2 * tp / (2 * tp + fp + fn + EPS);
                }
                return 1 - f1 / columns;
            }
            case "soft_balanced_accuracy": {
                double recall = 0;
                for (int c = 0; c < k; c++) {
                    double hit = 0;
                    double count = 0;
                    for (int i = 0; i < b; i++) {
                        double y = labels[i] == c ? 1 : 0;
                        hit += p[i][c] * y;
                        count += y;
                    }
                    recall += hit / (count + EPS);
                }
                return 1 - recall / k;
            }
            default:
                break;
        }
        if (name.startsWith("anyloss_")) {
            double l = ((Number) params.getOrDefault("L", 73.0)).doubleValue();
            double total = 0;
            for (int c = 0; c < columns; c++) {
                double tp = 0;
                double fn = 0;
                double fp = 0;
                double tn = 0;
                for (int i = 0; i < b; i++) {
                    double a = 1 / (1 + Math.exp(-l * (pc[c][i] - 0.5)));
                    double y = yc[c][i];
                    tp += y * a;
                    fn += y * (1 - a);
                    fp += (1 - y) * a;
                    tn += (1 - y) * (1 - a);
                }
                double tpr = tp / (tp + fn + EPS);
                double tnr = tn / (tn + fp + EPS);
                total += switch (name) {
                    case "anyloss_accuracy" -> (tp + tn) / (tp + tn + fp + fn + EPS);
                    case "anyloss_fbeta" -> (1 + beta * beta) * tp / ((1 + beta * beta) * tp + beta * beta * fn + fp + EPS);
                    case "anyloss_gmean" -> Math.sqrt(tpr * tnr + EPS);
                    case "anyloss_balanced_accuracy" -> (tpr + tnr) / 2;
                    default -> throw new IllegalArgumentException(name);
                };
            }
            return 1 - total / columns;
        }
        if (name.startsWith("heaviside_")) {
            String[] parts = name.split("_");
            HeavisideApproximation h = parts[1].equals("sigmoid")
                    ? new HeavisideApproximation.Sigmoid(((Number) params.getOrDefault("k", 10.0)).doubleValue())
                    : new HeavisideApproximation.Linear(((Number) params.getOrDefault("delta", 0.1)).doubleValue());
            boolean masked = "masked".equals(params.get("softSet"));
            String metric = parts[2];
            double total = 0;
            for (int c = 0; c < columns; c++) {
                if (metric.equals("auroc")) {
                    double[] taus = masked ? new double[] {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1}
                            : new double[] {0.99, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.01};
                    double area = 0;
                    double prevTpr = 0;
                    double prevFpr = 0;
                    for (int t = 0; t < taus.length; t++) {
                        double[] cm = soft(h, pc[c], yc[c], taus[t], masked);
                        double tpr = cm[0] / (cm[0] + cm[1] + EPS);
                        double fpr = cm[2] / (cm[2] + cm[3] + EPS);
                        if (t > 0) {
                            area += (fpr - prevFpr) * (tpr + prevTpr) / 2;
                        }
                        prevTpr = tpr;
                        prevFpr = fpr;
                    }
                    total += area;
                    continue;
                }
                Object tauParam = params.getOrDefault("tau", 0.5);
                double[] taus = tauParam instanceof Number n ? new double[] {n.doubleValue()}
                        : ((java.util.List<?>) tauParam).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
                double sum = 0;
                for (double tau : taus) {
                    double[] cm = soft(h, pc[c], yc[c], tau, masked);
                    double tp = cm[0];
                    double fn = cm[1];
                    double fp = cm[2];
                    double tn = cm[3];
                    double be = metric.equals("f1") ? 1 : beta;
                    sum += metric.equals("accuracy") ? (tp + tn) / (tp + tn + fp + fn + EPS)
                            : (1 + be * be) * tp / ((1 + be * be) * tp + be * be * fn + fp + EPS);
                }
                total += sum / taus.length;
            }
            return 1 - total / columns;
        }
        throw new IllegalArgumentException("no reference for " + name);
    }

    /** {tp, fn, fp, tn} summed over the batch, Tsoi et al. eq. 3 (or the masked form). */
    private static double[] soft(HeavisideApproximation h, double[] p, double[] y, double tau, boolean masked) {
        double[] cm = new double[4];
        for (int i = 0; i < p.length; i++) {
            double hp = h.value(p[i], tau);
            if (masked) {
                cm[0] += hp * y[i];
                cm[1] += (1 - hp) * y[i];
                cm[2] += hp * (1 - y[i]);
                cm[3] += (1 - hp) * (1 - y[i]);
                continue;
            }
            boolean pos = y[i] == 1;
            boolean below = p[i] < tau;
            cm[0] += pos || below ? hp : 1 - hp;
            cm[1] += pos || !below ? 1 - hp : hp;
            cm[2] += !pos || below ? hp : 1 - hp;
            cm[3] += !pos || !below ? 1 - hp : hp;
        }
        return cm;
    }
}
