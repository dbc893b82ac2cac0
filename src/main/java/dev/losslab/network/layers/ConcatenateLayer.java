package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** Keras' Concatenate along the last axis (channels; DenseNet, Inception). */
public final class ConcatenateLayer extends KerasLayer<Integer> {
    @Override
    public List<String> kerasNames() {
        return List.of("Concatenate");
    }

    @Override
    public boolean takes(String className, int n) {
        return n >= 2;
    }

    /** The axis, read once. */
    @Override
    protected Integer read(LayerSpec c, String where) {
        return c.integer("axis");
    }

    @Override
    protected Shape shape(Integer axis, LayerSpec l, List<int[]> in, String where) {
        if (in.size() < 2) {
            throw new LosslabException(where + ": Concatenate needs at least 2 inputs, got " + in.size());
        }
        int[] x = in.get(0);
        int rank = x.length;
        int a = axis < 0 ? rank + axis : axis - 1;
        if (a != rank - 1) {
            throw new LosslabException(where + ": Concatenate on axis " + axis + " is not supported (the last axis)");
        }
        int sum = 0;
        for (int[] o : in) {
            if (o.length != rank || !Arrays.equals(Arrays.copyOf(o, rank - 1), Arrays.copyOf(x, rank - 1))) {
                throw new LosslabException(where + ": Concatenate of " + fmt(x) + " and " + fmt(o));
            }
            sum += o[rank - 1];
        }
        int[] out = x.clone();
        out[rank - 1] = sum;
        return new Shape(out);
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Integer axis, LayerBuild<T> b) {
        return b.ops().concat(b.inputs(), b.ops().constant(-1));
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("axis", -1);
    }
}
