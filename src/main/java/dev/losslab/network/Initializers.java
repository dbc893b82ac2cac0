package dev.losslab.network;

import dev.losslab.network.layers.Weight;
import dev.losslab.LosslabException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Initial weights as Keras' initializers define them (keras-team/keras
 * {@code keras/src/initializers/random_initializers.py}, {@code constant_initializers.py}), drawn from
 * ONE random stream seeded by the run's seed, weight by weight in the network's build order: never
 * from layer names (which Keras numbers per process) and never with a fixed default seed, so equal
 * shapes do not start equal and the same seed always gives the same start. Glorot-uniform draws
 * exactly as losslab always has (U(-l, l), l = sqrt(6 / (fan_in + fan_out)), Glorot and Bengio 2010,
 * eq. 16), so the notebook's network starts as before.
 *
 * <p>VarianceScaling(scale, mode, distribution): n = fan_in, fan_out or their mean; s = scale / n;
 * uniform U(-sqrt(3s), sqrt(3s)); untruncated_normal N(0, s); truncated_normal N(0, s / 0.8796^2)
 * cut at 2 standard deviations. Glorot = (1, fan_avg), He = (2, fan_in), LeCun = (1, fan_in), with
 * uniform or truncated normal. Fans of a conv kernel multiply by the receptive field (Keras'
 * {@code compute_fans}).
 */
public final class Initializers {
    private Initializers() {
    }

    /** Initial values of every weight of {@code net}, seeded by {@code seed}. */
    public static List<Parameter> initialValues(ResolvedNetwork net, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Parameter> out = new ArrayList<>();
        for (Weight w : net.weights()) {
            out.add(new Parameter(w.name(), w.shape(), values(w, random)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static float[] values(Weight w, SplittableRandom random) {
        long n = w.size();
        if (n > Integer.MAX_VALUE) {
            throw new LosslabException(w.name() + ": " + n + " values is too large");
        }
        float[] v = new float[(int) n];
        String cls = String.valueOf(w.initializer().get("class_name"));
        Map<String, Object> cfg = w.initializer().get("config") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        long[] s = w.shape();
        long receptive = 1;
        for (int i = 0; i < s.length - 2; i++) {
            receptive *= s[i];
        }
        double fanIn = s.length >= 2 ? s[s.length - 2] * receptive : s.length == 1 ? s[0] : 1;
        double fanOut = s.length >= 2 ? s[s.length - 1] * receptive : s.length == 1 ? s[0] : 1;
        switch (cls) {
            case "Zeros" -> { }
            case "Ones" -> java.util.Arrays.fill(v, 1f);
            case "Constant" -> java.util.Arrays.fill(v, (float) num(cfg, "value", 0));
            case "GlorotUniform" -> {
                double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
                }
            }
            case "RandomUniform" -> {
                double lo = num(cfg, "minval", -0.05);
                double hi = num(cfg, "maxval", 0.05);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (lo + random.nextDouble() * (hi - lo));
                }
            }
            case "RandomNormal" -> {
                double mean = num(cfg, "mean", 0);
                double sd = num(cfg, "stddev", 0.05);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (mean + sd * gaussian(random));
                }
            }
            case "TruncatedNormal" -> {
                double mean = num(cfg, "mean", 0);
                double sd = num(cfg, "stddev", 0.05);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (mean + sd * truncated(random));
                }
            }
            default -> {
                double scale;
                String mode;
                String dist;
                switch (cls) {
                    case "GlorotNormal" -> { scale = 1; mode = "fan_avg"; dist = "truncated_normal"; }
                    case "HeUniform" -> { scale = 2; mode = "fan_in"; dist = "uniform"; }
                    case "HeNormal" -> { scale = 2; mode = "fan_in"; dist = "truncated_normal"; }
                    case "LecunUniform" -> { scale = 1; mode = "fan_in"; dist = "uniform"; }
                    case "LecunNormal" -> { scale = 1; mode = "fan_in"; dist = "truncated_normal"; }
                    case "VarianceScaling" -> {
                        scale = num(cfg, "scale", 1);
                        mode = String.valueOf(cfg.getOrDefault("mode", "fan_in"));
                        dist = String.valueOf(cfg.getOrDefault("distribution", "truncated_normal"));
                    }
                    default -> throw new LosslabException(w.name() + ": initializer '" + cls + "' is not supported");
                }
                double fan = switch (mode) {
                    case "fan_in" -> fanIn;
                    case "fan_out" -> fanOut;
                    case "fan_avg" -> (fanIn + fanOut) / 2;
                    default -> throw new LosslabException(w.name() + ": VarianceScaling mode '" + mode
                            + "' is not supported (fan_in, fan_out, fan_avg)");
                };
                double var = scale / Math.max(1, fan);
                switch (dist) {
                    case "uniform" -> {
                        double limit = Math.sqrt(3 * var);
                        for (int i = 0; i < v.length; i++) {
                            v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
                        }
                    }
                    case "truncated_normal" -> {
                        double sd = Math.sqrt(var) / 0.87962566103423978;
                        for (int i = 0; i < v.length; i++) {
                            v[i] = (float) (sd * truncated(random));
                        }
                    }
                    case "untruncated_normal", "normal" -> {
                        double sd = Math.sqrt(var);
                        for (int i = 0; i < v.length; i++) {
                            v[i] = (float) (sd * gaussian(random));
                        }
                    }
                    default -> throw new LosslabException(w.name() + ": VarianceScaling distribution '" + dist
                            + "' is not supported (uniform, truncated_normal, untruncated_normal)");
                }
            }
        }
        return v;
    }

    private static double num(Map<String, Object> cfg, String key, double fallback) {
        Object o = cfg.get(key);
        return o instanceof Number n ? n.doubleValue() : fallback;
    }

    /** A standard normal draw (Box-Muller on the stream). */
    static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A standard normal draw within 2 standard deviations (redrawn outside, as TF's truncated normal). */
    static double truncated(SplittableRandom r) {
        while (true) {
            double g = gaussian(r);
            if (Math.abs(g) <= 2) {
                return g;
            }
        }
    }
}
