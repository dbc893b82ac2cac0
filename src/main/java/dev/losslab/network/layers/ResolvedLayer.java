package dev.losslab.network.layers;

import java.util.List;

/**
 * A layer resolved for an input: its spec, its output shape (without the batch), its weights, and the typed settings
 * its kind read from its config once ({@link KerasLayer#read}; null for kinds without settings).
 */
public record ResolvedLayer(LayerSpec spec, int[] outputShape, List<Weight> weights, Object settings) {
    public long trainableParams() {
        return weights.stream().filter(Weight::trainable).mapToLong(Weight::size).sum();
    }

    public long nonTrainableParams() {
        return weights.stream().filter(w -> !w.trainable()).mapToLong(Weight::size).sum();
    }

    /** The activation the layer ends in: its settings' for kinds that have one ({@link Activated}), else linear. */
    public String activation() {
        return settings instanceof Activated a ? a.activation() : "linear";
    }

    /** The regularizer on the layer's kernel (its first weight) for kinds that take one ({@link Regularized}), else null. */
    public KerasRegularizer kernelRegularizer() {
        return settings instanceof Regularized r ? r.kernelRegularizer() : null;
    }
}
