package dev.losslab.network.layers;

/** A layer kind's settings that end in a named activation (Dense, Conv2D, Activation, ...). */
public interface Activated {
    /** One of {@link Activations#NAMES}; "linear" for none. */
    String activation();
}
