package dev.losslab.tune;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times the threshold searches on synthetic classifier outputs (a noisy softmax favouring the true
 * class and class 0): K = 10 with 20,000 validation samples, random 2,000 + refine; K = 3
 * exhaustive at step 0.01 on 5,000 samples. A measurement, not a test.
 */
public final class TuningBenchmark {
    private TuningBenchmark() {
    }

    public static Map<String, Object> run() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("threads", Runtime.getRuntime().availableProcessors());
        for (boolean relative : new boolean[] {false, true}) {
            String rule = relative ? "relative" : "absolute";
            int[] y10 = new int[20_000];
            float[] p10 = synthetic(20_000, 10, y10, 1);
            timeIt(out, "k10_n20000_random2000_refine_" + rule, new SimplexSearch(p10, y10, 10, relative),
                    new SimplexSearch.Options(SimplexSearch.Strategy.REFINE, 0.01, 2000, 1));
            int[] y3 = new int[5_000];
            float[] p3 = synthetic(5_000, 3, y3, 2);
            timeIt(out, "k3_n5000_exhaustive_step0.01_" + rule, new SimplexSearch(p3, y3, 3, relative),
                    new SimplexSearch.Options(SimplexSearch.Strategy.EXHAUSTIVE, 0.01, 1, 1));
        }
        return out;
    }

    private static void timeIt(Map<String, Object> out, String key, SimplexSearch search, SimplexSearch.Options o) {
        search.search(o); // warm-up (JIT)
        double best = Double.POSITIVE_INFINITY;
        SimplexSearch.Result r = null;
        for (int rep = 0; rep < 3; rep++) {
            long start = System.nanoTime();
            r = search.search(o);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        out.put(key + "_seconds", best);
        out.put(key + "_candidates", r.candidates());
        out.put(key + "_accuracy", r.accuracy());
    }

    /** Noisy softmax outputs: imbalanced labels (60% class 0), the true class boosted. */
    public static float[] synthetic(int n, int k, int[] labels, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[n * k];
        double[] e = new double[k];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10) < 6 ? 0 : 1 + r.nextInt(k - 1);
            double sum = 0;
            for (int c = 0; c < k; c++) {
                e[c] = Math.exp(r.nextGaussian() + (c == labels[i] ? 1.5 : 0) + (c == 0 ? 0.5 : 0));
                sum += e[c];
            }
            for (int c = 0; c < k; c++) {
                p[i * k + c] = (float) (e[c] / sum);
            }
        }
        return p;
    }
}
