package dev.losslab.network.layers;

/** A layer kind's settings that may carry Keras' {@code kernel_regularizer} (Dense, Conv2D). */
public interface Regularized {
    /** The kernel's regularizer, null for none; the kernel is the layer's first weight. */
    KerasRegularizer kernelRegularizer();
}
