package dev.losslab.network.layers;

import java.util.List;

/** A layer resolved for an input: its spec, its output shape (without the batch) and its weights. */
public record ResolvedLayer(LayerSpec spec, int[] outputShape, List<Weight> weights) {
    public long trainableParams() {
        return weights.stream().filter(Weight::trainable).mapToLong(Weight::size).sum();
    }

    public long nonTrainableParams() {
        return weights.stream().filter(w -> !w.trainable()).mapToLong(Weight::size).sum();
    }
}
