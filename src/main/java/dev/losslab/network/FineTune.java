package dev.losslab.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.losslab.LosslabException;

/**
 * The second phase of Keras' transfer-learning guide, run in the same run after the first: the base unfrozen
 * ({@code trainable}: true, every layer, as {@code base_model.trainable = True}; or {@code {"from": "<layer>"}},
 * that layer on), recompiled with a fresh optimizer of the same kind at a low constant rate, trained for
 * {@code epochs} more epochs numbered on from the first phase (Keras' {@code initial_epoch}). The layers frozen in
 * the first phase run in inference mode in the second (BatchNormalization on its moving statistics, which do not
 * move), as the guide has them by calling the base with {@code training=False}.
 *
 * @param epochs the phase's epochs (at least 1)
 * @param trainable true (default) or {@code {"from": "<layer name>"}}
 * @param learningRate the constant rate (default: a tenth of the first phase's initial rate)
 */
public record FineTune(Integer epochs, JsonNode trainable, Double learningRate) {
    public FineTune {
        if (epochs == null || epochs < 1) {
            throw new LosslabException("model.fineTune.epochs: at least 1, got " + epochs);
        }
        if (learningRate != null && !(learningRate > 0 && learningRate < 10)) {
            throw new LosslabException("model.fineTune.learningRate must be in (0, 10), got " + learningRate);
        }
        if (trainable != null && !trainable.isNull() && !(trainable.isBoolean() && trainable.booleanValue())
                && !(trainable.isObject() && trainable.size() == 1 && trainable.path("from").isTextual())) {
            throw new LosslabException("model.fineTune.trainable: true, or {\"from\": \"<layer name>\"}; found " + trainable);
        }
    }

    /** The phase's rate given the first phase's initial rate. */
    public double rate(double firstPhaseRate) {
        return learningRate != null ? learningRate : firstPhaseRate / 10;
    }
}
