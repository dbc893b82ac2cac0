package dev.losslab.network.layers;

import java.util.Map;

/** One weight: "conv1/kernel", its shape, whether the optimizer trains it, its initializer. */
public record Weight(String name, long[] shape, boolean trainable, Map<String, Object> initializer, String role) {
    public long size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
