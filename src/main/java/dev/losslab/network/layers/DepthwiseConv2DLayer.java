package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' DepthwiseConv2D and SeparableConv2D. Depthwise: kernel [k_h, k_w, C, depth_multiplier], each channel
 * convolved with its own filters (TF's DepthwiseConv2dNative; output channel c m + j from input channel c), bias
 * [C depth_multiplier]. Separable: that depthwise kernel, then a pointwise [1, 1, C depth_multiplier, filters]
 * convolution, then the bias [filters] (tf.nn.separable_conv2d). Weights in Keras' saved order.
 */
public final class DepthwiseConv2DLayer extends KerasLayer<DepthwiseConv2DLayer.Settings> {
    /** A depthwise or separable convolution's config, read once ({@code filters} only for the separable one). */
    record Settings(boolean separable, Convolution window, int depthMultiplier, int filters, String activation,
                    boolean useBias, Map<String, Object> depthwiseInitializer, Map<String, Object> pointwiseInitializer,
                    Map<String, Object> biasInitializer) implements Activated {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("DepthwiseConv2D", "SeparableConv2D");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        if (className.equals("SeparableConv2D")) {
            Weighted.normalise(c, kerasDefaults(className), where, "depthwise", "pointwise");
            require(c, "filters", where);
        } else {
            Weighted.normalise(c, kerasDefaults(className), where, "depthwise");
        }
        require(c, "kernel_size", where);
        if (c.get("kernel_regularizer") != null) {
            throw new LosslabException(where + ": kernel_regularizer is not supported on " + className);
        }
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        boolean separable = c.className().equals("SeparableConv2D");
        int mult = c.integer("depth_multiplier");
        if (mult < 1) {
            throw new LosslabException(where + ": depth_multiplier " + mult + " must be at least 1");
        }
        return new Settings(separable, Convolution.read(c, where), mult, separable ? c.integer("filters") : 0,
                c.string("activation"), c.bool("use_bias"), init(c, "depthwise_initializer"),
                separable ? init(c, "pointwise_initializer") : null, init(c, "bias_initializer"));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        int[] x = image(in, where);
        int[] k = s.window().kernel();
        int[] sides = s.window().sides(x, where);
        int mult = s.depthMultiplier();
        int channels = s.separable() ? s.filters() : x[2] * mult;
        int[] out = {sides[0], sides[1], channels};
        Weights w = new Weights(l).trainable(s.separable() ? "depthwise_kernel" : "kernel",
                new long[] {k[0], k[1], x[2], mult}, s.depthwiseInitializer());
        if (s.separable()) {
            w.trainable("pointwise_kernel", new long[] {1, 1, (long) x[2] * mult, channels}, s.pointwiseInitializer());
        }
        if (s.useBias()) {
            w.trainable("bias", new long[] {channels}, s.biasInitializer());
        }
        return new Shape(out, w.list());
    }

    /**
     * TF's depthwise convolution; a dilated one (which TF's CPU kernel refuses) runs on the kernel with d - 1 zeros
     * inserted between its taps, the same sums (strides > 1 with dilation are refused, as in Keras).
     */
    static <T extends TNumber> Operand<T> depthwise(Ops s, Operand<T> x, Operand<T> kernel, long[] shape, Convolution w) {
        if (w.dilated()) {
            kernel = dilate(s, kernel, shape, w.dilation());
        }
        return s.nn.depthwiseConv2dNative(x, kernel, w.tfStrides(), w.tfPadding());
    }

    /** [kh, kw, a, b] to [(kh - 1) d0 + 1, (kw - 1) d1 + 1, a, b], zeros between the taps (pad, reshape, slice). */
    static <T extends TNumber> Operand<T> dilate(Ops s, Operand<T> kernel, long[] k, int[] d) {
        // rows: [kh, kw, a, b] -> [kh, 1, kw, a, b] -> pad to [kh, d0, ...] -> [kh d0, kw, a, b] -> first (kh - 1) d0 + 1
        Operand<T> rows = s.reshape(kernel, s.constant(new long[] {k[0], 1, k[1], k[2], k[3]}));
        rows = s.pad(rows, s.constant(new int[][] {{0, 0}, {0, d[0] - 1}, {0, 0}, {0, 0}, {0, 0}}), zero(s, kernel));
        var tall = s.slice(s.reshape(rows, s.constant(new long[] {k[0] * d[0], k[1], k[2], k[3]})),
                s.constant(new long[] {0, 0, 0, 0}), s.constant(new long[] {(k[0] - 1) * d[0] + 1, k[1], k[2], k[3]}));
        long h = (k[0] - 1) * d[0] + 1;
        Operand<T> cols = s.reshape(tall, s.constant(new long[] {h, k[1], 1, k[2], k[3]}));
        cols = s.pad(cols, s.constant(new int[][] {{0, 0}, {0, 0}, {0, d[1] - 1}, {0, 0}, {0, 0}}), zero(s, kernel));
        return s.slice(s.reshape(cols, s.constant(new long[] {h, k[1] * d[1], k[2], k[3]})), s.constant(new long[] {0, 0, 0, 0}),
                s.constant(new long[] {h, (k[1] - 1) * d[1] + 1, k[2], k[3]}));
    }

    private static <T extends TNumber> Operand<T> zero(Ops s, Operand<T> like) {
        return s.dtypes.cast(s.constant(0f), like.type());
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings settings, LayerBuild<T> b) {
        Ops s = b.ops();
        Operand<T> y = depthwise(s, b.x(), s.identity(b.weight(0)), b.layer().weights().get(0).shape(), settings.window());
        int next = 1;
        if (settings.separable()) {
            y = s.nn.conv2d(y, s.identity(b.weight(next++)), List.of(1L, 1L, 1L, 1L), "VALID");
        }
        if (settings.useBias()) {
            y = s.nn.biasAdd(y, b.weight(next));
        }
        return b.activation(y, settings.activation());
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        Map<String, Object> z = initializer("Zeros");
        Map<String, Object> g = initializer("GlorotUniform");
        if (className.equals("SeparableConv2D")) {
            return defaults("depth_multiplier", 1, "filters", null, "kernel_size", null, "strides", List.of(1, 1),
                    "padding", "valid", "data_format", "channels_last", "dilation_rate", List.of(1, 1), "activation", "linear",
                    "use_bias", true, "depthwise_initializer", g, "pointwise_initializer", g, "bias_initializer", z,
                    "depthwise_regularizer", null, "pointwise_regularizer", null, "bias_regularizer", null,
                    "activity_regularizer", null, "depthwise_constraint", null, "pointwise_constraint", null,
                    "bias_constraint", null);
        }
        return defaults("depth_multiplier", 1, "kernel_size", null, "strides", List.of(1, 1), "padding", "valid",
                "data_format", "channels_last", "dilation_rate", List.of(1, 1), "activation", "linear", "use_bias", true,
                "depthwise_initializer", g, "bias_initializer", z, "depthwise_regularizer", null, "bias_regularizer", null,
                "activity_regularizer", null, "depthwise_constraint", null, "bias_constraint", null);
    }
}
