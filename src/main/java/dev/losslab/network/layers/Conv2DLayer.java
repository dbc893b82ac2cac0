package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' Conv2D: kernel [k_h, k_w, C_in / groups, filters] then bias [filters], TF's Conv2D (NHWC, VALID or
 * SAME, strides or dilation), then the activation. {@code groups > 1} is Keras' grouped convolution, whose kernel
 * splits its output channels in consecutive blocks: with one input channel per group (ConvNeXt's depthwise 7x7) it
 * is TF's depthwise convolution on the reshaped kernel; otherwise {@code groups} convolutions on channel slices,
 * concatenated.
 */
public final class Conv2DLayer extends KerasLayer<Conv2DLayer.Settings> {
    /** Conv2D's config, read once. */
    record Settings(int filters, Convolution window, int groups, String activation, boolean useBias,
                    Map<String, Object> kernelInitializer, Map<String, Object> biasInitializer,
                    KerasRegularizer kernelRegularizer) implements Activated, Regularized {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("Conv2D");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        Weighted.normalise(c, kerasDefaults(className), where, "kernel");
        require(c, "filters", where);
        require(c, "kernel_size", where);
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.integer("filters"), Convolution.read(c, where), c.integer("groups"), c.string("activation"),
                c.bool("use_bias"), init(c, "kernel_initializer"), init(c, "bias_initializer"),
                KerasRegularizer.ofNormalised(c.config().get("kernel_regularizer")));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        int[] x = image(in, where);
        int[] k = s.window().kernel();
        int[] sides = s.window().sides(x, where);
        int groups = s.groups();
        if (groups < 1 || x[2] % groups != 0 || s.filters() % groups != 0) {
            throw new LosslabException(where + ": groups " + groups + " must divide the input channels " + x[2]
                    + " and the filters " + s.filters());
        }
        int[] out = {sides[0], sides[1], s.filters()};
        Weights w = new Weights(l).trainable("kernel", new long[] {k[0], k[1], x[2] / groups, s.filters()},
                s.kernelInitializer());
        if (s.useBias()) {
            w.trainable("bias", new long[] {s.filters()}, s.biasInitializer());
        }
        return new Shape(out, w.list());
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings s, LayerBuild<T> b) {
        Operand<T> y = s.groups() == 1 ? conv(b.ops(), s.window(), b.x(), b.weight(0)) : grouped(b, s);
        if (s.useBias()) {
            y = b.ops().nn.biasAdd(y, b.weight(1));
        }
        return b.activation(y, s.activation());
    }

    static <T extends TNumber> Operand<T> conv(Ops s, Convolution w, Operand<T> x, Operand<T> kernel) {
        int[] d = w.dilation();
        return !w.dilated() ? s.nn.conv2d(x, kernel, w.tfStrides(), w.tfPadding())
                : s.nn.conv2d(x, kernel, w.tfStrides(), w.tfPadding(), Conv2d.dilations(1L, (long) d[0], (long) d[1], 1L));
    }

    private static <T extends TNumber> Operand<T> grouped(LayerBuild<T> b, Settings settings) {
        Ops s = b.ops();
        int groups = settings.groups();
        int cin = (int) b.layer().weights().get(0).shape()[2];
        int filters = b.layer().outputShape()[2];
        int per = filters / groups;
        Operand<T> kernel = b.weight(0);
        long[] k = b.layer().weights().get(0).shape();
        if (cin == 1) {
            // one input channel per group (ConvNeXt's 7x7): a depthwise convolution, output g * per + j from channel g,
            // whose kernel [k_h, k_w, 1, groups * per] is the depthwise [k_h, k_w, groups, per] in row-major order
            var depthwise = s.reshape(kernel, s.constant(new long[] {k[0], k[1], groups, per}));
            return DepthwiseConv2DLayer.depthwise(s, b.x(), depthwise, new long[] {k[0], k[1], groups, per},
                    settings.window());
        }
        List<Operand<T>> parts = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            var xs = s.slice(b.x(), s.constant(new int[] {0, 0, 0, g * cin}), s.constant(new int[] {-1, -1, -1, cin}));
            var ks = s.slice(kernel, s.constant(new int[] {0, 0, 0, g * per}), s.constant(new int[] {-1, -1, -1, per}));
            parts.add(conv(s, settings.window(), xs, ks));
        }
        return s.concat(parts, s.constant(-1));
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("filters", null, "kernel_size", null, "strides", List.of(1, 1), "padding", "valid",
                "data_format", "channels_last", "dilation_rate", List.of(1, 1), "groups", 1, "activation", "linear", "use_bias", true,
                "kernel_initializer", initializer("GlorotUniform"), "bias_initializer", initializer("Zeros"), "kernel_regularizer", null,
                "bias_regularizer", null, "activity_regularizer", null, "kernel_constraint", null, "bias_constraint", null);
    }
}
