package dev.losslab.recipe;

import dev.losslab.util.KerasObject;
import com.fasterxml.jackson.databind.JsonNode;
import dev.losslab.LosslabException;
import dev.losslab.util.Registry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A learning rate as Keras' optimizers take it: a number, or one of {@code keras.optimizers.schedules} evaluated
 * at the optimizer's iteration count (0 on the first step), with Keras 3's formulas
 * ({@code keras/src/optimizers/schedules/learning_rate_schedule.py}), computed here in double precision.
 *
 * <p>Two losslab additions, written inside a schedule's arguments: {@code "unit": "epochs"} counts
 * {@code decay_steps}, {@code first_decay_steps}, {@code warmup_steps}, {@code boundaries} and
 * {@code linear_warmup} in epochs (converted with the run's steps per epoch, as the long-tailed recipes count:
 * LDAM-DRW decays at epochs 160 and 180); {@code "linear_warmup": W} scales the schedule by
 * {@code min(1, (step + 1) / W)}, the gradual warm-up of Goyal et al. 2017 (and LDAM-DRW's five epochs) in front
 * of any schedule.
 */
public sealed interface LearningRate {
    /** The rate for the step with this iteration count (0-based, as Keras' {@code optimizer.iterations}). */
    double at(long step);

    /** The same schedule with every epoch count turned into steps; identity for a schedule in steps. */
    default LearningRate inSteps(int stepsPerEpoch) {
        return this;
    }

    /** The rate before any step: what a summary or TensorBoard shows for a constant rate. */
    default double initial() {
        return at(0);
    }

    /** {@code 0.1}, {@code CosineDecay}, {@code PiecewiseConstantDecay in epochs, 5 warm-up}. */
    static String describe(LearningRate r) {
        if (r instanceof Constant c) {
            return String.valueOf(c.value());
        }
        if (r instanceof Scaled s) {
            return describe(s.base()) + (s.epochs() ? " in epochs" : "") + (s.linearWarmup() > 0 ? ", "
                    + s.linearWarmup() + " warm-up" : "");
        }
        return r.getClass().getSimpleName();
    }

    /**
     * Every schedule losslab evaluates, by Keras class name, each with its own arguments and its factory (the record's
     * {@code from}): adding a schedule is its record and one line here.
     */
    Registry<KerasObject, LearningRate> SCHEDULES = new Registry<KerasObject, LearningRate>("learning-rate schedule")
            .register("ExponentialDecay", Set.of("initial_learning_rate", "decay_steps", "decay_rate", "staircase"),
                    ExponentialDecay::from)
            .register("PiecewiseConstantDecay", Set.of("boundaries", "values"), PiecewiseConstantDecay::from)
            .register("PolynomialDecay", Set.of("initial_learning_rate", "decay_steps", "end_learning_rate", "power",
                    "cycle"), PolynomialDecay::from)
            .register("InverseTimeDecay", Set.of("initial_learning_rate", "decay_steps", "decay_rate", "staircase"),
                    InverseTimeDecay::from)
            .register("CosineDecay", Set.of("initial_learning_rate", "decay_steps", "alpha", "warmup_target",
                    "warmup_steps"), CosineDecay::from)
            .register("CosineDecayRestarts", Set.of("initial_learning_rate", "first_decay_steps", "t_mul", "m_mul",
                    "alpha"), CosineDecayRestarts::from);
    Set<String> EXTENSIONS = Set.of("unit", "linear_warmup", "name");

    /**
     * The rate as a config writes it: a number, or {@code {"CosineDecay": {...}}} with every Keras argument (its
     * {@code get_config}) and losslab's {@code unit} and {@code linear_warmup} when set; parsing it gives this rate.
     */
    Object toConfig();

    /** A schedule's Keras arguments ({@code get_config} without the name), in Keras' order. */
    non-sealed interface Schedule extends LearningRate {
        Map<String, Object> arguments();

        /** The same schedule with its step counts multiplied by {@code f} (epochs to steps). */
        Schedule stepsTimes(double f);

        @Override
        default Object toConfig() {
            return Map.of(getClass().getSimpleName(), arguments());
        }
    }

    /** A number or a schedule at config field {@code path}. */
    static LearningRate parse(String path, JsonNode node) {
        if (node != null && node.isNumber()) {
            double v = node.doubleValue();
            if (!(v >= 0 && Double.isFinite(v))) {
                throw new LosslabException(path + ": must be a finite number >= 0, found " + node);
            }
            return new Constant(v);
        }
        KerasObject o = KerasObject.parse(path, node, SCHEDULES.names());
        Registry.Entry<KerasObject, LearningRate> entry = SCHEDULES.get(o.className());
        Set<String> known = new java.util.HashSet<>(entry.arguments());
        known.addAll(EXTENSIONS);
        LearningRate base = entry.factory().apply(o.allow(known, Set.of()));
        boolean epochs = "epochs".equals(o.text("unit", "steps", Set.of("steps", "epochs")));
        double warmup = o.nonNegative("linear_warmup", 0);
        return epochs || warmup > 0 ? new Scaled(base, epochs, warmup) : base;
    }

    /** An ordered map from key, value pairs. */
    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A non-negative number Keras' constructor requires. */
    static double required(KerasObject o, String arg) {
        if (!o.has(arg)) {
            throw new LosslabException(o.where(arg) + ": required");
        }
        return o.nonNegative(arg, 0);
    }

    static double positive(KerasObject o, String arg) {
        return positive(o, arg, Double.NaN);
    }

    static double positive(KerasObject o, String arg, double defaultValue) {
        if (Double.isNaN(defaultValue) && !o.has(arg)) {
            throw new LosslabException(o.where(arg) + ": required");
        }
        double v = o.number(arg, defaultValue);
        if (!(v > 0)) {
            throw new LosslabException(o.where(arg) + ": must be > 0, found " + v);
        }
        return v;
    }

    static PiecewiseConstantDecay piecewise(KerasObject o) {
        double[] b = o.numbers("boundaries");
        double[] v = o.numbers("values");
        if (v.length != b.length + 1) {
            throw new LosslabException(o.path() + ": boundaries and values must have lengths n and n + 1, found "
                    + b.length + " and " + v.length);
        }
        for (int i = 1; i < b.length; i++) {
            if (!(b[i] > b[i - 1])) {
                throw new LosslabException(o.where("boundaries") + ": must increase, found " + b[i - 1] + " then " + b[i]);
            }
        }
        for (double x : v) {
            if (!(x >= 0)) {
                throw new LosslabException(o.where("values") + ": rates must be >= 0, found " + x);
            }
        }
        return new PiecewiseConstantDecay(b, v);
    }

    /** A fixed rate. */
    record Constant(double value) implements LearningRate {
        @Override
        public double at(long step) {
            return value;
        }

        @Override
        public Object toConfig() {
            return value;
        }
    }

    /** {@code initial * decay_rate ^ (step / decay_steps)}, the exponent floored when {@code staircase}. */
    record ExponentialDecay(double initial, double decaySteps, double decayRate, boolean staircase) implements Schedule {
        static ExponentialDecay from(KerasObject o) {
            return new ExponentialDecay(required(o, "initial_learning_rate"), positive(o, "decay_steps"),
                    required(o, "decay_rate"), o.bool("staircase", false));
        }

        @Override
        public Map<String, Object> arguments() {
            return ordered("initial_learning_rate", initial, "decay_steps", decaySteps, "decay_rate", decayRate,
                    "staircase", staircase);
        }

        @Override
        public Schedule stepsTimes(double f) {
            return new ExponentialDecay(initial, decaySteps * f, decayRate, staircase);
        }

        @Override
        public double at(long step) {
            double p = step / decaySteps;
            return initial * Math.pow(decayRate, staircase ? Math.floor(p) : p);
        }
    }

    /** {@code values[0]} while {@code step <= boundaries[0]}, {@code values[i]} for {@code boundaries[i-1] < step <= boundaries[i]}. */
    record PiecewiseConstantDecay(double[] boundaries, double[] values) implements Schedule {
        static PiecewiseConstantDecay from(KerasObject o) {
            return piecewise(o);
        }

        @Override
        public Map<String, Object> arguments() {
            return ordered("boundaries", boundaries, "values", values);
        }

        @Override
        public Schedule stepsTimes(double f) {
            return scaled(f);
        }

        @Override
        public double at(long step) {
            for (int i = 0; i < boundaries.length; i++) {
                if (step <= boundaries[i]) {
                    return values[i];
                }
            }
            return values[values.length - 1];
        }

        PiecewiseConstantDecay scaled(double f) {
            double[] b = boundaries.clone();
            for (int i = 0; i < b.length; i++) {
                b[i] *= f;
            }
            return new PiecewiseConstantDecay(b, values);
        }
    }

    /** {@code (initial - end) * (1 - p)^power + end}, p = min(step, decay_steps) / decay_steps (cycle: decay_steps * ceil(step / decay_steps)). */
    record PolynomialDecay(double initial, double decaySteps, double end, double power, boolean cycle) implements Schedule {
        static PolynomialDecay from(KerasObject o) {
            return new PolynomialDecay(required(o, "initial_learning_rate"), positive(o, "decay_steps"),
                    o.nonNegative("end_learning_rate", 1e-4), o.nonNegative("power", 1.0), o.bool("cycle", false));
        }

        @Override
        public Map<String, Object> arguments() {
            return ordered("initial_learning_rate", initial, "decay_steps", decaySteps, "end_learning_rate", end, "power",
                    power, "cycle", cycle);
        }

        @Override
        public Schedule stepsTimes(double f) {
            return new PolynomialDecay(initial, decaySteps * f, end, power, cycle);
        }

        @Override
        public double at(long step) {
            double s = step;
            double d = decaySteps;
            if (cycle) {
                d = d * (s == 0 ? 1 : Math.ceil(s / decaySteps));
            } else {
                s = Math.min(s, d);
            }
            return (initial - end) * Math.pow(1 - s / d, power) + end;
        }
    }

    /** {@code initial / (1 + decay_rate * step / decay_steps)}, the quotient floored when {@code staircase}. */
    record InverseTimeDecay(double initial, double decaySteps, double decayRate, boolean staircase) implements Schedule {
        static InverseTimeDecay from(KerasObject o) {
            return new InverseTimeDecay(required(o, "initial_learning_rate"), positive(o, "decay_steps"),
                    required(o, "decay_rate"), o.bool("staircase", false));
        }

        @Override
        public Map<String, Object> arguments() {
            return ordered("initial_learning_rate", initial, "decay_steps", decaySteps, "decay_rate", decayRate,
                    "staircase", staircase);
        }

        @Override
        public Schedule stepsTimes(double f) {
            return new InverseTimeDecay(initial, decaySteps * f, decayRate, staircase);
        }

        @Override
        public double at(long step) {
            double p = step / decaySteps;
            return initial / (1 + decayRate * (staircase ? Math.floor(p) : p));
        }
    }

    /**
     * Cosine decay from {@code initial} (or, after a linear warm-up from {@code initial} to {@code warmup_target}
     * over {@code warmup_steps}, from the target) to {@code alpha} times it over {@code decay_steps}, then flat.
     */
    record CosineDecay(double initial, double decaySteps, double alpha, Double warmupTarget, double warmupSteps)
            implements Schedule {
        static CosineDecay from(KerasObject o) {
            return new CosineDecay(required(o, "initial_learning_rate"), positive(o, "decay_steps"),
                    o.nonNegative("alpha", 0), o.optional("warmup_target"), o.nonNegative("warmup_steps", 0));
        }

        @Override
        public Map<String, Object> arguments() {
            return ordered("initial_learning_rate", initial, "decay_steps", decaySteps, "alpha", alpha, "warmup_target",
                    warmupTarget, "warmup_steps", warmupSteps);
        }

        @Override
        public Schedule stepsTimes(double f) {
            return new CosineDecay(initial, decaySteps * f, alpha, warmupTarget, warmupSteps * f);
        }

        @Override
        public double at(long step) {
            double s = step;
            if (warmupTarget == null) {
                return decay(Math.min(s, decaySteps), initial);
            }
            s = Math.min(s, decaySteps + warmupSteps);
            if (s < warmupSteps) {
                return (warmupTarget - initial) * (s / warmupSteps) + initial;
            }
            return decay(s - warmupSteps, warmupTarget);
        }

        private double decay(double s, double from) {
            double cosine = 0.5 * (1 + Math.cos(Math.PI * (s / decaySteps)));
            return from * ((1 - alpha) * cosine + alpha);
        }
    }

    /** SGDR (Loshchilov and Hutter 2017): cosine decay restarted after periods growing by {@code t_mul}, peaks times {@code m_mul}. */
    record CosineDecayRestarts(double initial, double firstDecaySteps, double tMul, double mMul, double alpha)
            implements Schedule {
        static CosineDecayRestarts from(KerasObject o) {
            return new CosineDecayRestarts(required(o, "initial_learning_rate"), positive(o, "first_decay_steps"),
                    positive(o, "t_mul", 2.0), o.nonNegative("m_mul", 1.0), o.nonNegative("alpha", 0));
        }

        @Override
        public Map<String, Object> arguments() {
            return ordered("initial_learning_rate", initial, "first_decay_steps", firstDecaySteps, "t_mul", tMul, "m_mul",
                    mMul, "alpha", alpha);
        }

        /** Keras scales only the first period; the later ones follow by t_mul. */
        @Override
        public Schedule stepsTimes(double f) {
            return new CosineDecayRestarts(initial, firstDecaySteps * f, tMul, mMul, alpha);
        }

        @Override
        public double at(long step) {
            double fraction = step / firstDecaySteps;
            double restart;
            if (tMul == 1.0) {
                restart = Math.floor(fraction);
                fraction -= restart;
            } else {
                restart = Math.floor(Math.log(1.0 - fraction * (1.0 - tMul)) / Math.log(tMul));
                double sum = (1.0 - Math.pow(tMul, restart)) / (1.0 - tMul);
                fraction = (fraction - sum) / Math.pow(tMul, restart);
            }
            double cosine = 0.5 * Math.pow(mMul, restart) * (1.0 + Math.cos(Math.PI * fraction));
            return initial * ((1 - alpha) * cosine + alpha);
        }
    }

    /** A schedule counted in epochs and/or behind a linear warm-up (losslab's additions, see the interface). */
    record Scaled(LearningRate base, boolean epochs, double linearWarmup) implements LearningRate {
        @Override
        public double at(long step) {
            if (epochs) {
                throw new IllegalStateException("a schedule in epochs needs the run's steps per epoch (inSteps)");
            }
            double rate = base.at(step);
            return linearWarmup > 0 ? rate * Math.min(1.0, (step + 1) / linearWarmup) : rate;
        }

        @Override
        public LearningRate inSteps(int stepsPerEpoch) {
            if (!epochs) {
                return this;
            }
            double f = stepsPerEpoch;
            LearningRate b = base instanceof Schedule sc ? sc.stepsTimes(f) : base;
            return new Scaled(b, false, linearWarmup * f);
        }

        @Override
        public double initial() {
            return (epochs ? inSteps(1) : this).at(0);
        }

        @Override
        public Object toConfig() {
            if (!(base.toConfig() instanceof Map<?, ?> m) || m.size() != 1) {
                throw new IllegalStateException("a scaled rate needs a schedule: " + base);
            }
            var e = m.entrySet().iterator().next();
            Map<String, Object> args = new LinkedHashMap<>();
            ((Map<?, ?>) e.getValue()).forEach((k, v) -> args.put((String) k, v));
            if (epochs) {
                args.put("unit", "epochs");
            }
            if (linearWarmup > 0) {
                args.put("linear_warmup", linearWarmup);
            }
            return Map.of(e.getKey(), args);
        }
    }
}
