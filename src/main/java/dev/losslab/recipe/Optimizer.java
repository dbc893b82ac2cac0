package dev.losslab.recipe;

import dev.losslab.util.KerasObject;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.losslab.LosslabException;
import dev.losslab.util.Registry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An optimizer as Keras 3 defines one (keras/src/optimizers/optimizer.py and one class per optimizer): what every
 * optimizer takes (the learning rate or schedule, the decoupled {@code weight_decay} applied to every trainable
 * variable before the update, {@code v -= v * wd * lr}, and gradient clipping by {@code clipnorm}, {@code
 * global_clipnorm} or {@code clipvalue}, at most one, as Keras allows), read once from the config; each subclass reads
 * its own arguments with Keras' defaults and builds its slots and its update as TF ops ({@link #update}, Keras'
 * {@code build} and {@code update_step}). Found by Keras class name in {@link #REGISTRY}: adding an optimizer is its
 * class and one registry line. The gradients, clipping and decay around the update are the training graph's
 * ({@code train.OptimizerGraph}).
 */
public abstract class Optimizer {
    /** Every optimizer losslab builds, by Keras class name. */
    public static final Registry<KerasObject, Optimizer> REGISTRY = new Registry<KerasObject, Optimizer>("optimizer")
            .register("SGD", SGD.ARGUMENTS, SGD::new)
            .register("Adam", Adam.ARGUMENTS, Adam::new)
            .register("AdamW", Adam.ARGUMENTS, AdamW::new)
            .register("RMSprop", RMSprop.ARGUMENTS, RMSprop::new)
            .register("Adagrad", Adagrad.ARGUMENTS, Adagrad::new)
            .register("Nadam", Nadam.ARGUMENTS, Nadam::new)
            .register("Adamax", Adamax.ARGUMENTS, Adamax::new);

    /** What every optimizer takes (Keras' base class). */
    private static final Set<String> COMMON = Set.of("learning_rate", "weight_decay", "clipnorm", "clipvalue",
            "global_clipnorm", "name");
    /** Keras arguments losslab does not implement: refused by name rather than ignored. */
    private static final Set<String> UNSUPPORTED = Set.of("use_ema", "ema_momentum", "ema_overwrite_frequency",
            "loss_scale_factor", "gradient_accumulation_steps");

    private final LearningRate learningRate;
    private final Double weightDecay;
    private final Double clipnorm;
    private final Double clipvalue;
    private final Double globalClipnorm;

    /**
     * Reads the common arguments of {@code o}: the rate (the class's Keras default {@code defaultRate} when absent)
     * and the decay ({@code defaultDecay} when absent; null: none; AdamW's 0.004, which cannot be None).
     */
    protected Optimizer(KerasObject o, double defaultRate, Double defaultDecay) {
        learningRate = o.has("learning_rate") ? LearningRate.parse(o.where("learning_rate"), o.raw("learning_rate"))
                : new LearningRate.Constant(defaultRate);
        if (defaultDecay != null) {
            if (o.raw("weight_decay") != null && o.raw("weight_decay").isNull()) {
                throw new LosslabException(o.where("weight_decay") + ": " + o.className()
                        + " needs a weight decay (Keras refuses None)");
            }
            weightDecay = o.nonNegative("weight_decay", defaultDecay);
        } else {
            weightDecay = o.optional("weight_decay");
        }
        clipnorm = positiveOrNull(o, "clipnorm");
        clipvalue = positiveOrNull(o, "clipvalue");
        globalClipnorm = positiveOrNull(o, "global_clipnorm");
        int clips = (clipnorm != null ? 1 : 0) + (clipvalue != null ? 1 : 0) + (globalClipnorm != null ? 1 : 0);
        if (clips > 1) {
            throw new LosslabException(o.path() + ": give at most one of clipnorm, clipvalue and global_clipnorm (as Keras)");
        }
    }

    /** A copy of {@code from} at a constant {@code rate} (a fine-tuning phase's recompile). */
    protected Optimizer(Optimizer from, double rate) {
        learningRate = new LearningRate.Constant(rate);
        weightDecay = from.weightDecay;
        clipnorm = from.clipnorm;
        clipvalue = from.clipvalue;
        globalClipnorm = from.globalClipnorm;
    }

    private static Double positiveOrNull(KerasObject o, String arg) {
        Double v = o.optional(arg);
        return v == null || v == 0 ? null : v; // Keras: a clip of 0 or None is no clipping
    }

    /** Reads {@code {"SGD": {...}}} or {@code "SGD"} at config field {@code path}. */
    public static Optimizer parse(String path, JsonNode node) {
        KerasObject o = KerasObject.parse(path, node, REGISTRY.names());
        Registry.Entry<KerasObject, Optimizer> entry = REGISTRY.get(o.className());
        Set<String> known = new HashSet<>(COMMON);
        known.addAll(entry.arguments());
        o.allow(known, UNSUPPORTED);
        return entry.factory().apply(o);
    }

    /** The supported optimizers' names. */
    public static Set<String> names() {
        return REGISTRY.names();
    }

    /** Today's default and the {@code learningRate} shorthand: Keras' Adam at a constant rate. */
    public static Optimizer adam(double learningRate) {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        args.put("learning_rate", learningRate);
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set("Adam", args);
        return parse("optimizer", node);
    }

    /** Keras' class name. */
    public abstract String kind();

    /** The same optimizer at a constant {@code rate} (a fine-tuning phase's recompile). */
    public abstract Optimizer withConstantRate(double rate);

    /**
     * The optimizer's slots (created beside each variable) and its update of every variable from its gradient, as
     * TF ops: Keras' {@code build} and {@code update_step}.
     *
     * @param s      the optimizer's scope (slots and constants)
     * @param u      ops that run after the gradients (and any weight decay)
     * @param vars   the trainable variables
     * @param g      their gradients, clipped
     * @param lr     the step's learning rate
     * @param step   the step's number, {@code iterations + 1}
     * @return the op that runs the whole step
     */
    public abstract Op update(Ops s, Ops u, List<Variable<TFloat32>> vars, List<Operand<TFloat32>> g, Operand<TFloat32> lr,
                              Operand<TFloat32> step);

    /** This class's own arguments with their values, in Keras' order (its {@code get_config} beyond the base's). */
    protected abstract Map<String, Object> ownConfig();

    /** This class's own parts of {@link #describe()}, e.g. "momentum 0.9, nesterov". */
    protected List<String> describeOwn() {
        return List.of();
    }

    public LearningRate learningRate() {
        return learningRate;
    }

    public Double weightDecay() {
        return weightDecay;
    }

    public Double clipnorm() {
        return clipnorm;
    }

    public Double clipvalue() {
        return clipvalue;
    }

    public Double globalClipnorm() {
        return globalClipnorm;
    }

    /** The scope name of the optimizer's ops. */
    public String scopeName() {
        return kind().toLowerCase(java.util.Locale.ROOT);
    }

    /** True for the run losslab made before optimizers were configurable: plain Adam, constant rate, no extras. */
    public boolean isPlainAdam() {
        return false;
    }

    /**
     * The optimizer as a config again, {@code {"SGD": {"learning_rate": ..., "momentum": 0.9, ...}}}: every argument
     * with its value (defaults included), a schedule with every argument; reading it back gives this optimizer.
     */
    public ObjectNode toConfig() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("learning_rate", learningRate.toConfig());
        args.put("weight_decay", weightDecay);
        args.put("clipnorm", clipnorm);
        args.put("global_clipnorm", globalClipnorm);
        args.put("clipvalue", clipvalue);
        args.putAll(ownConfig());
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set(kind(), new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(args));
        return o;
    }

    /** A short description for logs: {@code SGD(momentum 0.9, nesterov, weight decay 5e-4)}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("lr " + LearningRate.describe(learningRate));
        parts.addAll(describeOwn());
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
        return kind() + "(" + String.join(", ", parts) + ")";
    }

    // ---- helpers shared by the update ops ----

    /** A slot variable beside {@code like}, named {@code name + i}, starting at {@code initial}. */
    protected static Variable<TFloat32> slot(Ops s, String name, int i, Variable<TFloat32> like, float initial) {
        var zeros = s.zerosLike(like);
        return s.withName(name + i).variable(initial == 0 ? zeros : s.math.add(zeros, s.constant(initial)));
    }

    /** The step: a no-op after every update. */
    protected static Op done(Ops s, List<Op> updates) {
        return s.withControlDependencies(updates).withName("step").noOp();
    }
}
