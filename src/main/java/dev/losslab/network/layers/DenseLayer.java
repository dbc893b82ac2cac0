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
public final class DenseLayer extends KerasLayer {
    @Override
    public List<String> kerasNames() {
        return List.of("Dense");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        Weighted.normalise(c, where, "kernel");
        require(c, "units", where);
    }

    @Override
    public Shape resolve(LayerSpec l, List<int[]> in, String where) {
        int[] x = in.get(0);
        int units = l.integer("units", 0);
        Weights w = new Weights(l).trainable("kernel", new long[] {x[x.length - 1], units}, init(l, "kernel_initializer"));
        if (l.bool("use_bias", true)) {
            w.trainable("bias", new long[] {units}, init(l, "bias_initializer"));
        }
        int[] out = x.clone();
        out[out.length - 1] = units;
        return new Shape(out, w.list());
    }

    @Override
    public <T extends TNumber> Operand<T> build(LayerBuild<T> b) {
        int[] out = b.layer().outputShape();
        Operand<T> x = b.x();
        if (out.length > 1) { // each position: [B, ..., in] -> [B * ..., in] x [in, units] -> [B, ..., units]
            int[] shape = new int[out.length + 1];
            shape[0] = -1;
            System.arraycopy(out, 0, shape, 1, out.length);
            var flat = b.ops().reshape(x, b.ops().constant(new int[] {-1, (int) b.layer().weights().get(0).shape()[0]}));
            Operand<T> y = b.ops().linalg.matMul(flat, b.weight(0));
            if (b.spec().bool("use_bias", true)) {
                y = b.ops().nn.biasAdd(y, b.weight(1));
            }
            return b.activation(b.ops().reshape(y, b.ops().constant(shape)), b.spec().string("activation", "linear"));
        }
        Operand<T> y = b.ops().linalg.matMul(x, b.weight(0));
        if (b.spec().bool("use_bias", true)) {
            y = b.ops().nn.biasAdd(y, b.weight(1));
        }
        return b.activation(y, b.spec().string("activation", "linear"));
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("units", null, "activation", "linear", "use_bias", true, "kernel_initializer", initializer("GlorotUniform"),
                "bias_initializer", initializer("Zeros"), "kernel_regularizer", null, "bias_regularizer", null,
                "kernel_constraint", null, "bias_constraint", null, "quantization_config", null);
    }
}
