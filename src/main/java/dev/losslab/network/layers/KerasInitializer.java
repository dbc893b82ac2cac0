package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.util.Registry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One of Keras' initializers (keras/src/initializers/random_initializers.py, constant_initializers.py): its config
 * read once into typed fields with Keras' defaults, written back ({@link #toConfig}), and its values for a weight
 * drawn from the run's one random stream ({@link #fill}). Found by Keras class name (or Keras' snake-case alias) in
 * {@link #REGISTRY}: adding an initializer is its class and one registry line.
 *
 * <p>VarianceScaling(scale, mode, distribution): n = fan_in, fan_out or their mean; s = scale / n; uniform
 * U(-sqrt(3s), sqrt(3s)); untruncated_normal N(0, s); truncated_normal N(0, s / 0.8796^2) cut at 2 standard
 * deviations. Glorot = (1, fan_avg), He = (2, fan_in), LeCun = (1, fan_in), with uniform or truncated normal. Fans of
 * a conv kernel multiply by the receptive field (Keras' {@code compute_fans}). Glorot-uniform draws exactly as
 * losslab always has (U(-l, l), l = sqrt(6 / (fan_in + fan_out)), Glorot and Bengio 2010, eq. 16).
 */
public abstract class KerasInitializer {
    /** Every initializer losslab draws, by Keras class name, with the arguments its config takes. */
    public static final Registry<Map<String, Object>, KerasInitializer> REGISTRY =
            new Registry<Map<String, Object>, KerasInitializer>("initializer")
                    .register("GlorotUniform", Set.of("seed"), c -> new GlorotUniform())
                    .register("GlorotNormal", Set.of("seed"), c -> new VarianceScaling("GlorotNormal", 1, "fan_avg",
                            "truncated_normal"))
                    .register("HeUniform", Set.of("seed"), c -> new VarianceScaling("HeUniform", 2, "fan_in", "uniform"))
                    .register("HeNormal", Set.of("seed"), c -> new VarianceScaling("HeNormal", 2, "fan_in",
                            "truncated_normal"))
                    .register("LecunUniform", Set.of("seed"), c -> new VarianceScaling("LecunUniform", 1, "fan_in",
                            "uniform"))
                    .register("LecunNormal", Set.of("seed"), c -> new VarianceScaling("LecunNormal", 1, "fan_in",
                            "truncated_normal"))
                    .register("VarianceScaling", Set.of("scale", "mode", "distribution", "seed"), c -> new VarianceScaling(
                            "VarianceScaling", num(c, "scale", 1), String.valueOf(c.getOrDefault("mode", "fan_in")),
                            String.valueOf(c.getOrDefault("distribution", "truncated_normal"))))
                    .register("RandomNormal", Set.of("mean", "stddev", "seed"), c -> new Gaussian("RandomNormal",
                            num(c, "mean", 0), num(c, "stddev", 0.05), false))
                    .register("TruncatedNormal", Set.of("mean", "stddev", "seed"), c -> new Gaussian("TruncatedNormal",
                            num(c, "mean", 0), num(c, "stddev", 0.05), true))
                    .register("RandomUniform", Set.of("minval", "maxval", "seed"), c -> new RandomUniform(num(c, "minval",
                            -0.05), num(c, "maxval", 0.05)))
                    .register("Zeros", Set.of(), c -> new Constant("Zeros", 0))
                    .register("Ones", Set.of(), c -> new Constant("Ones", 1))
                    .register("Constant", Set.of("value"), c -> new Constant("Constant", num(c, "value", 0)));

    /** Keras' class name. */
    public abstract String className();

    /** The config's arguments beside the class name (Keras' {@code get_config}, the seed left out: losslab seeds per run). */
    public abstract Map<String, Object> arguments();

    /** Draws the values of a weight of {@code shape} into {@code v} from {@code random}. */
    public abstract void fill(float[] v, long[] shape, SplittableRandom random);

    /** {@code {"class_name": ..., "config": {...}}}, the form Keras writes inside a layer's config. */
    public Map<String, Object> toConfig() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("class_name", className());
        o.put("config", arguments());
        return o;
    }

    /** The initializer a layer's normalised config names ({@code {class_name, config}}). */
    @SuppressWarnings("unchecked")
    public static KerasInitializer of(Map<String, Object> initializer, String where) {
        String cls = String.valueOf(initializer.get("class_name"));
        var entry = REGISTRY.get(cls);
        if (entry == null) {
            throw new LosslabException(where + ": initializer '" + cls + "' is not supported");
        }
        Map<String, Object> cfg = initializer.get("config") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return entry.factory().apply(cfg);
    }

    static double num(Map<String, Object> cfg, String key, double fallback) {
        Object o = cfg.get(key);
        return o instanceof Number n ? n.doubleValue() : fallback;
    }

    /** Keras' {@code compute_fans}: {fan_in, fan_out}, a conv kernel's multiplied by its receptive field. */
    static double[] fans(long[] s) {
        long receptive = 1;
        for (int i = 0; i < s.length - 2; i++) {
            receptive *= s[i];
        }
        double fanIn = s.length >= 2 ? s[s.length - 2] * receptive : s.length == 1 ? s[0] : 1;
        double fanOut = s.length >= 2 ? s[s.length - 1] * receptive : s.length == 1 ? s[0] : 1;
        return new double[] {fanIn, fanOut};
    }

    /** A standard normal draw (Box-Muller on the stream). */
    public static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A standard normal draw within 2 standard deviations (redrawn outside, as TF's truncated normal). */
    public static double truncated(SplittableRandom r) {
        while (true) {
            double g = gaussian(r);
            if (Math.abs(g) <= 2) {
                return g;
            }
        }
    }

    /** Zeros, Ones, Constant(value). */
    static final class Constant extends KerasInitializer {
        private final String name;
        private final double value;

        Constant(String name, double value) {
            this.name = name;
            this.value = value;
        }

        @Override
        public String className() {
            return name;
        }

        @Override
        public Map<String, Object> arguments() {
            return name.equals("Constant") ? Map.of("value", value) : Map.of();
        }

        @Override
        public void fill(float[] v, long[] shape, SplittableRandom random) {
            if (value != 0) {
                java.util.Arrays.fill(v, (float) value);
            }
        }
    }

    /** Glorot-uniform as losslab has always drawn it. */
    static final class GlorotUniform extends KerasInitializer {
        @Override
        public String className() {
            return "GlorotUniform";
        }

        @Override
        public Map<String, Object> arguments() {
            return Map.of();
        }

        @Override
        public void fill(float[] v, long[] shape, SplittableRandom random) {
            double[] f = fans(shape);
            double limit = Math.sqrt(6.0 / (f[0] + f[1]));
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
            }
        }
    }

    /** RandomUniform(minval, maxval). */
    static final class RandomUniform extends KerasInitializer {
        private final double lo;
        private final double hi;

        RandomUniform(double lo, double hi) {
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        public String className() {
            return "RandomUniform";
        }

        @Override
        public Map<String, Object> arguments() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("minval", lo);
            m.put("maxval", hi);
            return m;
        }

        @Override
        public void fill(float[] v, long[] shape, SplittableRandom random) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (lo + random.nextDouble() * (hi - lo));
            }
        }
    }

    /** RandomNormal and TruncatedNormal(mean, stddev). */
    static final class Gaussian extends KerasInitializer {
        private final String name;
        private final double mean;
        private final double sd;
        private final boolean truncate;

        Gaussian(String name, double mean, double sd, boolean truncate) {
            this.name = name;
            this.mean = mean;
            this.sd = sd;
            this.truncate = truncate;
        }

        @Override
        public String className() {
            return name;
        }

        @Override
        public Map<String, Object> arguments() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mean", mean);
            m.put("stddev", sd);
            return m;
        }

        @Override
        public void fill(float[] v, long[] shape, SplittableRandom random) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (mean + sd * (truncate ? truncated(random) : gaussian(random)));
            }
        }
    }

    /** VarianceScaling and its presets (GlorotNormal, He*, Lecun*). */
    static final class VarianceScaling extends KerasInitializer {
        private final String name;
        private final double scale;
        private final String mode;
        private final String distribution;

        VarianceScaling(String name, double scale, String mode, String distribution) {
            this.name = name;
            this.scale = scale;
            this.mode = mode;
            this.distribution = distribution;
            if (!List.of("fan_in", "fan_out", "fan_avg").contains(mode)) {
                throw new LosslabException("VarianceScaling mode '" + mode + "' is not supported (fan_in, fan_out, fan_avg)");
            }
            if (!List.of("uniform", "truncated_normal", "untruncated_normal", "normal").contains(distribution)) {
                throw new LosslabException("VarianceScaling distribution '" + distribution
                        + "' is not supported (uniform, truncated_normal, untruncated_normal)");
            }
        }

        @Override
        public String className() {
            return name;
        }

        @Override
        public Map<String, Object> arguments() {
            if (!name.equals("VarianceScaling")) {
                return Map.of();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scale", scale);
            m.put("mode", mode);
            m.put("distribution", distribution.toLowerCase(Locale.ROOT));
            return m;
        }

        @Override
        public void fill(float[] v, long[] shape, SplittableRandom random) {
            double[] f = fans(shape);
            double fan = switch (mode) {
                case "fan_in" -> f[0];
                case "fan_out" -> f[1];
                default -> (f[0] + f[1]) / 2;
            };
            double var = scale / Math.max(1, fan);
            switch (distribution) {
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
                default -> {
                    double sd = Math.sqrt(var);
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (sd * gaussian(random));
                    }
                }
            }
        }
    }
}
