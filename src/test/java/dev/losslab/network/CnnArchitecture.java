package dev.losslab.network;

import dev.losslab.data.InputShape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The notebook's CNN ("CNN Architecture" section; layers as on its cited source, the COE 379L
 * unit03 CNN page), as a list of parameter shapes: Conv2D(64, 3x3) + ReLU, MaxPool 2x2,
 * Conv2D(32, 3x3) + ReLU, MaxPool 2x2, Conv2D(32, 3x3) + ReLU, MaxPool 2x2, Flatten, Dense(100) +
 * ReLU, Dense(1) + sigmoid for K = 2 or Dense(K) + softmax for K > 2. The padding, and so the
 * Flatten size, comes from the {@link ModelSpec}: 512 with "same" (the source's), 32 with "valid".
 *
 * <p>Initial values follow Keras' defaults: Glorot-uniform kernels (Glorot and Bengio 2010, eq. 16:
 * U(-l, l), l = sqrt(6 / (fan_in + fan_out)); for a conv kernel the fans are multiplied by the
 * receptive field size, as in Keras' {@code compute_fans}) and zero biases.
 */
public final class CnnArchitecture {
    public static final int CONV1 = 64;
    public static final int CONV2 = 32;
    public static final int CONV3 = 32;
    public static final int HIDDEN = 100;

    private CnnArchitecture() {
    }

    /** Output units: 1 (sigmoid) for two classes, K (softmax) otherwise. */
    public static int outputUnits(int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + numClasses);
        }
        return numClasses == 2 ? 1 : numClasses;
    }

    /** Parameter names and shapes, in the order the graph uses them. */
    public static List<Parameter> shapes(ModelSpec spec, int numClasses) {
        return shapes(spec, InputShape.FASHION_MNIST, numClasses);
    }

    /** Parameter names and shapes for {@code input} images, in the order the graph uses them. */
    public static List<Parameter> shapes(ModelSpec spec, InputShape input, int numClasses) {
        int out = outputUnits(numClasses);
        List<Parameter> p = new ArrayList<>();
        p.add(zeros("conv1/kernel", 3, 3, input.channels(), CONV1));
        p.add(zeros("conv1/bias", CONV1));
        p.add(zeros("conv2/kernel", 3, 3, CONV1, CONV2));
        p.add(zeros("conv2/bias", CONV2));
        p.add(zeros("conv3/kernel", 3, 3, CONV2, CONV3));
        p.add(zeros("conv3/bias", CONV3));
        p.add(zeros("dense1/kernel", spec.flatSize(input), HIDDEN));
        p.add(zeros("dense1/bias", HIDDEN));
        p.add(zeros("output/kernel", HIDDEN, out));
        p.add(zeros("output/bias", out));
        return p;
    }

    /**
     * Forward multiply-adds x 2 per sample: each conv layer out_side^2 x c_out x c_in x 9, the two
     * dense layers in x out (biases, ReLU and pooling not counted). Valid padding: 5.4 MFLOP; same:
     * 9.1 MFLOP. A training step costs about three times the forward pass (forward, gradient with
     * respect to the inputs, gradient with respect to the weights).
     */
    public static double forwardFlops(ModelSpec spec, int numClasses) {
        return forwardFlops(spec, InputShape.FASHION_MNIST, numClasses);
    }

    /** {@link #forwardFlops(ModelSpec, int)} on {@code input} images. */
    public static double forwardFlops(ModelSpec spec, InputShape input, int numClasses) {
        ModelSpec.Padding pad = spec.padding();
        int[] channels = {input.channels(), CONV1, CONV2, CONV3};
        int h = input.height();
        int w = input.width();
        double flops = 0;
        for (int layer = 0; layer < 3; layer++) {
            h = pad.outputSize(h, 3, 1);
            w = pad.outputSize(w, 3, 1);
            flops += 2.0 * h * w * channels[layer + 1] * channels[layer] * 9;
            h = pad.outputSize(h, 2, 2);
            w = pad.outputSize(w, 2, 2);
        }
        flops += 2.0 * spec.flatSize(input) * HIDDEN + 2.0 * HIDDEN * outputUnits(numClasses);
        return flops;
    }

    /** Keras-default initial values, seeded. */
    public static List<Parameter> initialParameters(ModelSpec spec, int numClasses, long seed) {
        return initialParameters(spec, InputShape.FASHION_MNIST, numClasses, seed);
    }

    /** Keras-default initial values for {@code input} images, seeded. */
    public static List<Parameter> initialParameters(ModelSpec spec, InputShape input, int numClasses, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Parameter> init = new ArrayList<>();
        for (Parameter p : shapes(spec, input, numClasses)) {
            if (p.shape().length == 1) {
                init.add(p);
                continue;
            }
            long[] s = p.shape();
            long receptive = 1;
            for (int i = 0; i < s.length - 2; i++) {
                receptive *= s[i];
            }
            double fanIn = s[s.length - 2] * receptive;
            double fanOut = s[s.length - 1] * receptive;
            double limit = Math.sqrt(6.0 / (fanIn + fanOut));
            float[] v = new float[p.values().length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
            }
            init.add(new Parameter(p.name(), s, v));
        }
        return init;
    }

    private static Parameter zeros(String name, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return new Parameter(name, shape, new float[(int) n]);
    }
}
