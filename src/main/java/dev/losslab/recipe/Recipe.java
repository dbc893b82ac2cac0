package dev.losslab.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.losslab.LosslabException;
import dev.losslab.network.layers.ImageAugmentation;
import java.util.List;

/**
 * How a run trains, in Keras' vocabulary: the optimizer (with its learning rate or schedule), the callbacks and
 * the sampler and the augmentation. One value, read from a config's {@code optimizer}, {@code callbacks},
 * {@code sampling} and {@code augmentation} fields
 * (or the {@code learningRate} shorthand for the Adam every run used before), which the training graph and
 * loop take whole.
 */
public record Recipe(Optimizer optimizer, List<Callback> callbacks, Sampling sampling, Augmentation augmentation) {

    /** Adam at a constant rate, no callbacks, uniform sampling: the notebook's recipe and losslab's default. */
    public static Recipe adam(double learningRate) {
        return new Recipe(Optimizer.adam(learningRate), List.of(), Sampling.UNIFORM, Augmentation.NONE);
    }

    /**
     * The recipe a config describes; {@code learningRate} (may be null) is the shorthand for Adam and cannot be
     * combined with {@code optimizer}.
     */
    public static Recipe parse(Double learningRate, JsonNode optimizer, JsonNode callbacks, JsonNode sampling,
                               JsonNode augmentation, int epochs, boolean hasValidation, double pixelMax) {
        if (optimizer != null && !optimizer.isNull() && learningRate != null) {
            throw new LosslabException("give learningRate (the shorthand for Adam) or optimizer, not both");
        }
        if (learningRate != null && !(learningRate > 0 && learningRate < 10)) {
            throw new LosslabException("learningRate must be in (0, 10), got " + learningRate);
        }
        Optimizer o = optimizer == null || optimizer.isNull() ? Optimizer.adam(learningRate == null ? Adam.DEFAULT_LEARNING_RATE : learningRate)
                : Optimizer.parse("optimizer", optimizer);
        List<Callback> cs = Callback.parseList("callbacks", callbacks);
        for (int i = 0; i < cs.size(); i++) {
            Callback c = cs.get(i);
            if (c.needsConstantRate() && !(o.learningRate() instanceof LearningRate.Constant)) {
                throw new LosslabException("callbacks[" + i + "]." + c.getClass().getSimpleName()
                        + ": the optimizer's learning rate is a schedule; "
                        + "Keras cannot change it (use one or the other)");
            }
            String monitor = c.monitor();
            if (monitor.startsWith("val_") && !hasValidation) {
                throw new LosslabException("callbacks[" + i + "]." + c.getClass().getSimpleName() + ": monitors " + monitor
                        + " but the run has no validation set");
            }
        }
        if (cs.stream().filter(c -> c instanceof EarlyStopping).count() > 1) {
            throw new LosslabException("callbacks: give at most one EarlyStopping");
        }
        return new Recipe(o, cs, Sampling.parse("sampling", sampling, epochs),
                Augmentation.parse("augmentation", augmentation, pixelMax));
    }

    /** A short description for logs and HParams: {@code SGD(lr ..., momentum 0.9), EarlyStopping, class_balanced}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(optimizer.describe());
        for (Callback c : callbacks) {
            sb.append(", ").append(c.getClass().getSimpleName());
        }
        if (!sampling.type().equals("uniform")) {
            sb.append(", sampling ").append(sampling.configName());
        }
        if (!augmentation.isEmpty()) {
            sb.append(", augmentation ").append(augmentation.layers().stream().map(ImageAugmentation::className).toList());
        }
        return sb.toString();
    }
}
