package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** Keras' Reshape to {@code target_shape} (without the batch; one -1 takes what is left), row-major. */
public final class ReshapeLayer extends KerasLayer<int[]> {
    @Override
    public List<String> kerasNames() {
        return List.of("Reshape");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        require(c, "target_shape", where);
        if (!(c.get("target_shape") instanceof List<?> l) || l.isEmpty() || !l.stream().allMatch(x -> x instanceof Number)) {
            throw new LosslabException(where + ": target_shape must be a list of whole numbers, got " + c.get("target_shape"));
        }
    }

    /** The target shape, read once. */
    @Override
    protected int[] read(LayerSpec c, String where) {
        return ((List<?>) c.config().get("target_shape")).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    @Override
    protected Shape shape(int[] target, LayerSpec l, List<int[]> in, String where) {
        int[] x = in.get(0);
        int[] t = target.clone();
        int known = 1;
        int free = -1;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == -1 && free < 0) {
                free = i;
            } else if (t[i] < 1) {
                throw new LosslabException(where + ": target_shape " + fmt(t) + " has a bad size " + t[i]);
            } else {
                known *= t[i];
            }
        }
        if (free >= 0 && prod(x) % known == 0) {
            t[free] = prod(x) / known;
            known *= t[free];
        }
        if (known != prod(x)) {
            throw new LosslabException(where + ": cannot reshape " + fmt(x) + " (" + prod(x) + " values) to " + fmt(t));
        }
        return new Shape(t);
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(int[] target, LayerBuild<T> b) {
        int[] o = b.layer().outputShape();
        int[] shape = new int[o.length + 1];
        shape[0] = -1;
        System.arraycopy(o, 0, shape, 1, o.length);
        return b.ops().reshape(b.x(), b.ops().constant(shape));
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("target_shape", null);
    }

    @Override
    public boolean writesBuildConfig(String className) {
        return false;
    }
}
