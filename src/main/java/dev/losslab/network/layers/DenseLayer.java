package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** Keras' Dense on a vector: kernel [in, units] then bias [units], MatMul + BiasAdd, then the activation. */
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
        if (x.length != 1) {
            throw new LosslabException(where + ": Dense on a " + fmt(x) + " input; put Flatten or a global pooling "
                    + "layer before it");
        }
        int units = l.integer("units", 0);
        Weights w = new Weights(l).trainable("kernel", new long[] {x[0], units}, init(l, "kernel_initializer"));
        if (l.bool("use_bias", true)) {
            w.trainable("bias", new long[] {units}, init(l, "bias_initializer"));
        }
        return new Shape(new int[] {units}, w.list());
    }

    @Override
    public <T extends TNumber> Operand<T> build(LayerBuild<T> b) {
        Operand<T> y = b.ops().linalg.matMul(b.x(), b.weight(0));
        if (b.spec().bool("use_bias", true)) {
            y = b.ops().nn.biasAdd(y, b.weight(1));
        }
        return b.activation(y, b.spec().string("activation", "linear"));
    }
}
