package dev.losslab.api;

import dev.losslab.loss.Loss;
import dev.losslab.loss.LossRegistry;
import java.util.List;
import java.util.Map;

/**
 * Every losslab loss by name, as graph ops for your own TF-Java graph: {@code loss.compute(tf,
 * oneHotLabels, logits, numClasses)} returns the scalar batch loss, which TF's autodiff
 * differentiates ({@code tf.gradients}). Logits are {@code [B, 1]} (sigmoid) for two classes and
 * {@code [B, K]} (softmax) otherwise; float32 or float64.
 */
public final class ImbalanceLosses {
    private ImbalanceLosses() {
    }

    /**
     * The loss names.
     *
     * @return every loss's name, e.g. crossentropy, focal, soft_f1, ldam, logit_adjusted_crossentropy
     */
    public static List<String> names() {
        return List.copyOf(LossRegistry.entries().keySet());
    }

    /**
     * A loss with its default parameters (class-frequency losses need {@link #create(String, Map, int[])}).
     *
     * @param name one of {@link #names()}
     * @return the loss, ready to build into a graph
     */
    public static Loss create(String name) {
        return LossRegistry.create(name, Map.of());
    }

    /**
     * A loss with parameters (e.g. {@code Map.of("gamma", 2.0)}) and the training set's per-class
     * counts, from which class-balanced, logit-adjusted and LDAM losses take their weights and priors.
     *
     * @param name        one of {@link #names()}
     * @param params      the loss's parameters by name ({@code losslab losses} lists them); missing ones take defaults
     * @param classCounts training examples per class, in class order; ignored by losses that do not use them
     * @return the loss, ready to build into a graph
     */
    public static Loss create(String name, Map<String, ?> params, int[] classCounts) {
        return LossRegistry.create(name, params, classCounts);
    }
}
