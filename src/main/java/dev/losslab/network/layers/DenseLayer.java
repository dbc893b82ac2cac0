package dev.losslab.network.layers;

import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' Dense: kernel [in, units] then bias [units] on the last axis (a vector, or each position of a map as in
 * ConvNeXt's pointwise layers), MatMul + BiasAdd, then the activation.
 */
public final class DenseLayer extends KerasLayer<DenseLayer.Settings> {
    /** Dense's config, read once. */
    record Settings(int units, String activation, boolean useBias, Map<String, Object> kernelInitializer,
                    Map<String, Object> biasInitializer, KerasRegularizer kernelRegularizer)
            implements Activated, Regularized {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("Dense");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        Weighted.normalise(c, kerasDefaults(className), where, "kernel");
        require(c, "units", where);
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.integer("units"), c.string("activation"), c.bool("use_bias"), init(c, "kernel_initializer"),
                init(c, "bias_initializer"), KerasRegularizer.ofNormalised(c.config().get("kernel_regularizer")));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        int[] x = in.get(0);
        Weights w = new Weights(l).trainable("kernel", new long[] {x[x.length - 1], s.units()}, s.kernelInitializer());
        if (s.useBias()) {
            w.trainable("bias", new long[] {s.units()}, s.biasInitializer());
        }
        int[] out = x.clone();
        out[out.length - 1] = s.units();
        return new Shape(out, w.list());
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings s, LayerBuild<T> b) {
        int[] out = b.layer().outputShape();
        Operand<T> x = b.x();
        if (out.length > 1) { // each position: [B, ..., in] -> [B * ..., in] x [in, units] -> [B, ..., units]
            int[] shape = new int[out.length + 1];
            shape[0] = -1;
            System.arraycopy(out, 0, shape, 1, out.length);
            var flat = b.ops().reshape(x, b.ops().constant(new int[] {-1, (int) b.layer().weights().get(0).shape()[0]}));
            Operand<T> y = b.ops().linalg.matMul(flat, b.weight(0));
            if (s.useBias()) {
                y = b.ops().nn.biasAdd(y, b.weight(1));
            }
            return b.activation(b.ops().reshape(y, b.ops().constant(shape)), s.activation());
        }
        Operand<T> y = b.ops().linalg.matMul(x, b.weight(0));
        if (s.useBias()) {
            y = b.ops().nn.biasAdd(y, b.weight(1));
        }
        return b.activation(y, s.activation());
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("units", null, "activation", "linear", "use_bias", true, "kernel_initializer", initializer("GlorotUniform"),
                "bias_initializer", initializer("Zeros"), "kernel_regularizer", null, "bias_regularizer", null,
                "kernel_constraint", null, "bias_constraint", null, "quantization_config", null);
    }
}
