package dev.losslab.tune;

import dev.losslab.metrics.Objective;
import dev.losslab.LosslabException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Searches threshold vectors on the simplex ({@code t_k >= step}, {@code sum t = 1}) for the
 * absolute or relative rule, maximising validation accuracy.
 *
 * <ul>
 *   <li>{@code exhaustive}: every vector of the grid with spacing {@code step} (K = 3, step 0.01:
 *   4,851 vectors);</li>
 *   <li>{@code random}: {@code samples} vectors uniform on the constrained simplex, {@code t = step
 *   + (1 - K step) d} with d ~ Dirichlet(1), seeded (the notebook's 10-class method with 2,000);</li>
 *   <li>{@code refine}: steepest ascent from the best random vector and from uniform t, moving
 *   mass d between two classes (coarse to fine, d from 0.1 down to 0.001) while accuracy strictly
 *   improves, so it never ends below the random search it starts from.</li>
 * </ul>
 * Candidates are scored in parallel without allocation per sample, and a candidate stops being
 * scored once its errors exceed the best one's. Among equally accurate candidates the one nearest
 * uniform t (L1) wins, then the first generated, so results do not depend on thread timing.
 */
public final class SimplexSearch {
    public enum Strategy { EXHAUSTIVE, RANDOM, REFINE;

        public static Strategy parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new LosslabException("unknown search '" + s + "'; valid: exhaustive, random, refine");
            }
        }
    }

    /** Exhaustive grids larger than this are refused with a hint to use random or refine. */
    public static final long MAX_GRID = 2_000_000;
    private static final double[] MOVES = {0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001};

    /** Search settings; defaults: step 0.01, 2,000 random samples. */
    public record Options(Strategy strategy, double step, int samples, long seed) {
        public Options {
            if (!(step > 0 && step < 1)) {
                throw new LosslabException("--step must be in (0, 1), got " + step);
            }
            if (samples < 1) {
                throw new LosslabException("--samples must be >= 1, got " + samples);
            }
        }

        /** The notebook's choices: exhaustive for K = 3, random 2,000 + refine beyond. */
        public static Options defaultsFor(int k, long seed) {
            return new Options(k <= 3 ? Strategy.EXHAUSTIVE : Strategy.REFINE, 0.01, 2000, seed);
        }
    }

    /** The best vector and its validation accuracy (the objective's value for other objectives), with how many candidates were scored. */
    public record Result(double[] thresholds, double accuracy, int candidates) {
    }

    private final float[] p;
    private final int[] labels;
    private final int k;
    private final boolean relative;
    private final Objective objective;

    public SimplexSearch(float[] probabilities, int[] labels, int k, boolean relative) {
        this(probabilities, labels, k, relative, Objective.ACCURACY);
    }

    /** A search maximising {@code objective} (accuracy keeps the pruned integer fast path). */
    public SimplexSearch(float[] probabilities, int[] labels, int k, boolean relative, Objective objective) {
        this.p = probabilities;
        this.labels = labels;
        this.k = k;
        this.relative = relative;
        this.objective = objective;
    }

    /** The value a result reports: accuracy from a correct count, or the objective's value. */
    private double report(double value) {
        return objective.isAccuracy() ? value / labels.length : value;
    }

    private double value(double[] t) {
        if (objective.isAccuracy()) {
            return ThresholdArgmax.correct(p, labels, t, relative, Integer.MAX_VALUE);
        }
        return objective.score(ThresholdArgmax.predict(p, t, relative), labels, k);
    }

    public Result search(Options o) {
        if (k * o.step() > 1 + 1e-12) {
            throw new LosslabException("--step " + o.step() + " is too large for " + k + " classes (K * step must be <= 1)");
        }
        return switch (o.strategy()) {
            case EXHAUSTIVE -> best(grid(o.step()));
            case RANDOM -> best(random(o));
            case REFINE -> refine(o);
        };
    }

    /** Accuracy of one vector (no pruning). */
    public double accuracy(double[] t) {
        return (double) ThresholdArgmax.correct(p, labels, t, relative, Integer.MAX_VALUE) / labels.length;
    }

    List<double[]> grid(double step) {
        int total = (int) Math.round(1 / step);
        if (Math.abs(total * step - 1) > 1e-9) {
            throw new LosslabException("--step " + step + " does not divide 1 into whole steps");
        }
        double size = binomial(total - 1, k - 1);
        if (size > MAX_GRID) {
            throw new LosslabException(String.format(Locale.ROOT,
                    "exhaustive search over %.3g threshold vectors (K=%d, step %s) is too large; use --search random or refine",
                    size, k, step));
        }
        List<double[]> out = new ArrayList<>((int) size);
        compose(new int[k], 0, total, step, out);
        return out;
    }

    private void compose(int[] parts, int at, int left, double step, List<double[]> out) {
        if (at == k - 1) {
            parts[at] = left;
            double[] t = new double[k];
            for (int c = 0; c < k; c++) {
                t[c] = parts[c] * step;
            }
            out.add(t);
            return;
        }
        for (int m = 1; m <= left - (k - 1 - at); m++) {
            parts[at] = m;
            compose(parts, at + 1, left - m, step, out);
        }
    }

    private static double binomial(int n, int r) {
        double v = 1;
        for (int i = 1; i <= r; i++) {
            v = v * (n - r + i) / i;
        }
        return v;
    }

    List<double[]> random(Options o) {
        SplittableRandom random = new SplittableRandom(o.seed());
        double free = 1 - k * o.step();
        List<double[]> out = new ArrayList<>(o.samples());
        for (int s = 0; s < o.samples(); s++) {
            double[] e = new double[k];
            double sum = 0;
            for (int c = 0; c < k; c++) {
                e[c] = -Math.log(1 - random.nextDouble());
                sum += e[c];
            }
            for (int c = 0; c < k; c++) {
                e[c] = o.step() + free * e[c] / sum;
            }
            out.add(e);
        }
        return out;
    }

    private Result refine(Options o) {
        Result fromRandom = best(random(o));
        double[] uniform = new double[k];
        java.util.Arrays.fill(uniform, 1.0 / k);
        Result a = climb(fromRandom.thresholds(), o.step());
        Result b = climb(uniform, o.step());
        int candidates = fromRandom.candidates() + a.candidates() + b.candidates();
        Result better = b.accuracy() > a.accuracy() ? b : a;
        return new Result(better.thresholds(), better.accuracy(), candidates);
    }

    /**
     * Steepest ascent over mass transfers between pairs of classes, coarse to fine: at each move
     * size d (0.1 down to 0.001) take the best strictly improving transfer until none is left,
     * then halve the scale. Only strict improvements are accepted.
     */
    private Result climb(double[] start, double step) {
        double[] t = start.clone();
        double correct = value(t);
        int evaluated = 1;
        for (double d : MOVES) {
            while (true) {
                List<double[]> moves = new ArrayList<>();
                for (int to = 0; to < k; to++) {
                    for (int from = 0; from < k; from++) {
                        if (to != from && t[from] - d >= step - 1e-12) {
                            double[] m = t.clone();
                            m[to] += d;
                            m[from] -= d;
                            moves.add(m);
                        }
                    }
                }
                double[] scores = score(moves, correct + 1);
                evaluated += moves.size();
                int bestIdx = -1;
                for (int i = 0; i < scores.length; i++) {
                    if (scores[i] > correct && (bestIdx < 0 || scores[i] > scores[bestIdx])) {
                        bestIdx = i;
                    }
                }
                if (bestIdx < 0) {
                    break;
                }
                t = moves.get(bestIdx);
                correct = scores[bestIdx];
            }
        }
        return new Result(t, report(correct), evaluated);
    }

    private Result best(List<double[]> candidates) {
        double[] scores = score(candidates, 0);
        int best = -1;
        double bestDist = Double.POSITIVE_INFINITY;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                continue;
            }
            double dist = distanceFromUniform(candidates.get(i));
            if (best < 0 || scores[i] > scores[best] || scores[i] == scores[best] && dist < bestDist - 1e-12) {
                best = i;
                bestDist = dist;
            }
        }
        return new Result(candidates.get(best), report(scores[best]), candidates.size());
    }

    /**
     * Accuracy: correct counts, in parallel; NaN for candidates pruned because they fell below the
     * best count seen so far (or below {@code floor}); a candidate equal to the best is never pruned.
     * Other objectives: every candidate's value, in parallel, no pruning.
     */
    private double[] score(List<double[]> candidates, double floor) {
        int n = labels.length;
        double[] scores = new double[candidates.size()];
        if (!objective.isAccuracy()) {
            IntStream.range(0, candidates.size()).parallel().forEach(i -> scores[i] =
                    objective.score(ThresholdArgmax.predict(p, candidates.get(i), relative), labels, k));
            return scores;
        }
        AtomicInteger bestSoFar = new AtomicInteger((int) Math.min(floor, n + 1));
        IntStream.range(0, candidates.size()).parallel().forEach(i -> {
            int maxErrors = n - bestSoFar.get();
            int c = ThresholdArgmax.correct(p, labels, candidates.get(i), relative, maxErrors);
            scores[i] = c < 0 ? Double.NaN : c;
            if (c > 0) {
                bestSoFar.accumulateAndGet(c, Math::max);
            }
        });
        return scores;
    }

    private double distanceFromUniform(double[] t) {
        double d = 0;
        for (double v : t) {
            d += Math.abs(v - 1.0 / k);
        }
        return d;
    }
}
