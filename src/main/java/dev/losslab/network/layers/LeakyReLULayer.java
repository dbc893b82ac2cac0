package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' LeakyReLU layer (keras/src/layers/activations/leaky_relu.py): {@code f(x) = x} for x >= 0, else
 * {@code negative_slope * x}, with Keras 3's default slope 0.3; Keras 2's {@code alpha} (deprecated in Keras 3,
 * which still reads it) is read as the slope, so legacy files load.
 */
public final class LeakyReLULayer extends KerasLayer<Double> {
    static final double DEFAULT_SLOPE = 0.3;

    @Override
    public List<String> kerasNames() {
        return List.of("LeakyReLU");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        if (c.containsKey("alpha")) {
            if (c.get("negative_slope") != null) {
                throw new LosslabException(where + ": give negative_slope or Keras 2's alpha, not both");
            }
            c.put("negative_slope", c.remove("alpha"));
        }
        Object v = c.get("negative_slope");
        if (v != null && (!(v instanceof Number n) || !(n.doubleValue() >= 0))) {
            throw new LosslabException(where + ": negative_slope must be a number >= 0 (as in Keras), got " + v);
        }
    }

    @Override
    public Set<String> arguments(String className) {
        return Set.of("negative_slope", "alpha");
    }

    /** The slope, read once. */
    @Override
    protected Double read(LayerSpec c, String where) {
        return c.number("negative_slope");
    }

    @Override
    protected Shape shape(Double slope, LayerSpec l, List<int[]> in, String where) {
        return new Shape(in.get(0).clone());
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Double slope, LayerBuild<T> b) {
        return b.ops().nn.leakyRelu(b.x(), LeakyRelu.alpha(slope.floatValue()));
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("negative_slope", DEFAULT_SLOPE);
    }

    @Override
    public boolean writesBuildConfig(String className) {
        return false;
    }
}
