package dev.losslab.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.losslab.LosslabException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An optimizer as Keras 3 defines it (keras/src/optimizers): its class name, arguments and defaults, the decoupled
 * {@code weight_decay} applied to every trainable variable before the update ({@code v -= v * wd * lr}), and
 * gradient clipping by {@code clipnorm} (each gradient), {@code global_clipnorm} (all together) or
 * {@code clipvalue}, at most one of them, as Keras allows. {@link OptimizerGraph} builds its update as TF ops.
 *
 * @param kind            SGD, Adam, AdamW, RMSprop, Adagrad or Nadam
 * @param learningRate    a rate or a schedule ({@link LearningRate})
 * @param initialAccumulator Adagrad's {@code initial_accumulator_value}
 * @param weightDecay     null: none
 */
public record Optimizer(String kind, LearningRate learningRate, double beta1, double beta2, double epsilon, boolean amsgrad,
                        double momentum, boolean nesterov, double rho, boolean centered, double initialAccumulator,
                        Double weightDecay, Double clipnorm, Double clipvalue, Double globalClipnorm) {

    /** Keras' default learning rate per optimizer (SGD 0.01, the others 0.001). */
    private static final Map<String, Double> DEFAULT_RATE = Map.of("SGD", 0.01, "Adam", 0.001, "AdamW", 0.001,
            "RMSprop", 0.001, "Adagrad", 0.001, "Nadam", 0.001);
    private static final Set<String> COMMON = Set.of("learning_rate", "weight_decay", "clipnorm", "clipvalue",
            "global_clipnorm", "name");
    /** Keras arguments losslab does not implement: refused by name rather than ignored. */
    private static final Set<String> UNSUPPORTED = Set.of("use_ema", "ema_momentum", "ema_overwrite_frequency",
            "loss_scale_factor", "gradient_accumulation_steps");
    private static final Map<String, Set<String>> OWN = Map.of(
            "SGD", Set.of("momentum", "nesterov"),
            "Adam", Set.of("beta_1", "beta_2", "epsilon", "amsgrad"),
            "AdamW", Set.of("beta_1", "beta_2", "epsilon", "amsgrad"),
            "RMSprop", Set.of("rho", "momentum", "epsilon", "centered"),
            "Adagrad", Set.of("initial_accumulator_value", "epsilon"),
            "Nadam", Set.of("beta_1", "beta_2", "epsilon"));

    /** The supported optimizers' names. */
    public static Set<String> names() {
        return OWN.keySet();
    }

    /** Today's default and the {@code learningRate} shorthand: Keras' Adam at a constant rate. */
    public static Optimizer adam(double learningRate) {
        return new Optimizer("Adam", new LearningRate.Constant(learningRate), 0.9, 0.999, 1e-7, false, 0, false, 0.9, false,
                0.1, null, null, null, null);
    }

    /** The same optimizer at a constant {@code rate} (a fine-tuning phase's recompile). */
    public Optimizer withConstantRate(double rate) {
        return new Optimizer(kind, new LearningRate.Constant(rate), beta1, beta2, epsilon, amsgrad, momentum, nesterov, rho,
                centered, initialAccumulator, weightDecay, clipnorm, clipvalue, globalClipnorm);
    }

    /** Reads {@code {"SGD": {...}}} or {@code "SGD"} at config field {@code path}. */
    public static Optimizer parse(String path, JsonNode node) {
        KerasObject o = KerasObject.parse(path, node, OWN.keySet());
        Set<String> known = new HashSet<>(COMMON);
        known.addAll(OWN.get(o.className()));
        o.allow(known, UNSUPPORTED);
        String k = o.className();
        LearningRate rate = o.has("learning_rate") ? LearningRate.parse(o.where("learning_rate"), o.raw("learning_rate"))
                : new LearningRate.Constant(DEFAULT_RATE.get(k));
        Double wd = k.equals("AdamW") ? (Double) o.nonNegative("weight_decay", 0.004) : o.optional("weight_decay");
        if (k.equals("AdamW") && o.has("weight_decay") && o.raw("weight_decay").isNull()) {
            throw new LosslabException(o.where("weight_decay") + ": AdamW needs a weight decay (Keras refuses None)");
        }
        Double clipnorm = positiveOrNull(o, "clipnorm");
        Double clipvalue = positiveOrNull(o, "clipvalue");
        Double global = positiveOrNull(o, "global_clipnorm");
        int clips = (clipnorm != null ? 1 : 0) + (clipvalue != null ? 1 : 0) + (global != null ? 1 : 0);
        if (clips > 1) {
            throw new LosslabException(o.path() + ": give at most one of clipnorm, clipvalue and global_clipnorm (as Keras)");
        }
        double epsilon = o.nonNegative("epsilon", 1e-7);
        return new Optimizer(k, rate, o.fraction("beta_1", 0.9), o.fraction("beta_2", 0.999), epsilon,
                o.bool("amsgrad", false), o.fraction("momentum", 0.0), o.bool("nesterov", false), o.fraction("rho", 0.9),
                o.bool("centered", false), o.nonNegative("initial_accumulator_value", 0.1), wd, clipnorm, clipvalue, global);
    }

    private static Double positiveOrNull(KerasObject o, String arg) {
        Double v = o.optional(arg);
        return v == null || v == 0 ? null : v; // Keras: a clip of 0 or None is no clipping
    }

    /** True for the run losslab made before optimizers were configurable: plain Adam, constant rate, no extras. */
    public boolean isPlainAdam() {
        return kind.equals("Adam") && !amsgrad && weightDecay == null && clipnorm == null && clipvalue == null
                && globalClipnorm == null && learningRate instanceof LearningRate.Constant;
    }

    /** A short description for logs: {@code SGD(momentum 0.9, nesterov, weight decay 5e-4)}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(kind).append("(");
        java.util.List<String> parts = new java.util.ArrayList<>();
        parts.add("lr " + LearningRate.describe(learningRate));
        if (kind.equals("SGD") && momentum > 0) {
            parts.add("momentum " + momentum + (nesterov ? ", nesterov" : ""));
        }
        if (amsgrad) {
            parts.add("amsgrad");
        }
        if (kind.equals("RMSprop") && (momentum > 0 || centered)) {
            parts.add((momentum > 0 ? "momentum " + momentum : "") + (centered ? " centered" : ""));
        }
        if (weightDecay != null) {
            parts.add("weight decay " + weightDecay);
        }
        if (clipnorm != null) {
            parts.add("clipnorm " + clipnorm);
        }
        if (globalClipnorm != null) {
            parts.add("global_clipnorm " + globalClipnorm);
        }
        if (clipvalue != null) {
            parts.add("clipvalue " + clipvalue);
        }
        return sb.append(String.join(", ", parts)).append(")").toString();
    }
}
