package dev.losslab.network;

/**
 * Where a layer's weights sit in a Keras file: {@code key} in a Keras 3 weights file ({@code layers/conv2d},
 * {@code layers/functional/layers/conv2d_3}: the class in snake case numbered by position, nested models under
 * theirs; keras/src/saving/saving_lib.py), and in a legacy HDF5 file the group of its top-level layer under
 * {@code model_weights} ({@code legacyGroup}) holding weight names that start with the layer's own Keras name
 * ({@code legacyName}/kernel; keras/src/legacy/saving/legacy_h5_format.py).
 */
public record KerasOrigin(String key, String legacyGroup, String legacyName) {
}
