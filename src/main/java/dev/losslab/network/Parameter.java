package dev.losslab.network;

import java.util.Arrays;

/** One named weight tensor of the network: its shape and values (row-major, TF layout). */
public record Parameter(String name, long[] shape, float[] values) {
    public Parameter {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (n != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + Arrays.toString(shape));
        }
    }
}
