package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.LayerSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' DepthwiseConv2D and SeparableConv2D. Depthwise: kernel [k_h, k_w, C, depth_multiplier], each channel
 * convolved with its own filters (TF's DepthwiseConv2dNative; output channel c m + j from input channel c), bias
 * [C depth_multiplier]. Separable: that depthwise kernel, then a pointwise [1, 1, C depth_multiplier, filters]
 * convolution, then the bias [filters] (tf.nn.separable_conv2d). Weights in Keras' saved order.
 */
public final class DepthwiseConv2DLayer extends KerasLayer {
    @Override
    public List<String> kerasNames() {
        return List.of("DepthwiseConv2D", "SeparableConv2D");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        if (className.equals("SeparableConv2D")) {
            Weighted.normalise(c, where, "depthwise", "pointwise");
            require(c, "filters", where);
        } else {
            Weighted.normalise(c, where, "depthwise");
        }
        require(c, "kernel_size", where);
        if (c.get("kernel_regularizer") != null) {
            throw new LosslabException(where + ": kernel_regularizer is not supported on " + className);
        }
    }

    @Override
    public Shape resolve(LayerSpec l, List<int[]> in, String where) {
        int[] x = image(in, where);
        int[] k = l.pair("kernel_size", null);
        int[] s = l.pair("strides", new int[] {1, 1});
        int[] d = l.pair("dilation_rate", new int[] {1, 1});
        if ((s[0] > 1 || s[1] > 1) && (d[0] > 1 || d[1] > 1)) {
            throw new LosslabException(where + ": strides > 1 with dilation_rate > 1 is not supported (as in Keras)");
        }
        int mult = l.integer("depth_multiplier", 1);
        if (mult < 1) {
            throw new LosslabException(where + ": depth_multiplier " + mult + " must be at least 1");
        }
        boolean separable = l.className().equals("SeparableConv2D");
        int channels = separable ? l.integer("filters", 0) : x[2] * mult;
        int[] out = {window(x[0], (k[0] - 1) * d[0] + 1, s[0], l.padding(), where),
                window(x[1], (k[1] - 1) * d[1] + 1, s[1], l.padding(), where), channels};
        Weights w = new Weights(l).trainable(separable ? "depthwise_kernel" : "kernel",
                new long[] {k[0], k[1], x[2], mult}, init(l, "depthwise_initializer"));
        if (separable) {
            w.trainable("pointwise_kernel", new long[] {1, 1, (long) x[2] * mult, channels}, init(l, "pointwise_initializer"));
        }
        if (l.bool("use_bias", true)) {
            w.trainable("bias", new long[] {channels}, init(l, "bias_initializer"));
        }
        return new Shape(out, w.list());
    }

    @Override
    public <T extends TNumber> Operand<T> build(LayerBuild<T> b) {
        Ops s = b.ops();
        LayerSpec spec = b.spec();
        int[] st = spec.pair("strides", new int[] {1, 1});
        int[] d = spec.pair("dilation_rate", new int[] {1, 1});
        String pad = spec.padding().toUpperCase(Locale.ROOT);
        Operand<T> y = s.nn.depthwiseConv2dNative(b.x(), s.identity(b.weight(0)), List.of(1L, (long) st[0], (long) st[1], 1L),
                pad, DepthwiseConv2dNative.dilations(List.of(1L, (long) d[0], (long) d[1], 1L)));
        int next = 1;
        if (spec.className().equals("SeparableConv2D")) {
            y = s.nn.conv2d(y, s.identity(b.weight(next++)), List.of(1L, 1L, 1L, 1L), "VALID");
        }
        if (spec.bool("use_bias", true)) {
            y = s.nn.biasAdd(y, b.weight(next));
        }
        return b.activation(y, spec.string("activation", "linear"));
    }
}
