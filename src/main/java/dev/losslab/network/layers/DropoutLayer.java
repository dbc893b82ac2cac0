package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' Dropout: in training, inverted dropout keeps a unit when a uniform draw is at least {@code rate} and
 * scales kept units by 1 / (1 - rate); the identity at inference. {@code noise_shape} (batch axis included,
 * null for the input's size) shares one draw along the axes it sets to 1 (EfficientNet's drop-connect
 * {@code (None, 1, 1, 1)} drops whole samples).
 */
public final class DropoutLayer extends KerasLayer<DropoutLayer.Settings> {
    /** Dropout's config, read once; {@code noiseShape} null for the input's own shape. */
    record Settings(double rate, List<?> noiseShape) {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("Dropout");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        require(c, "rate", where);
        if (c.get("noise_shape") != null && !(c.get("noise_shape") instanceof List<?>)) {
            throw new LosslabException(where + ": noise_shape must be a list, got " + c.get("noise_shape"));
        }
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.number("rate"), c.config().get("noise_shape") instanceof List<?> ns ? ns : null);
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        int[] x = in.get(0);
        if (s.noiseShape() != null) {
            List<?> ns = s.noiseShape();
            if (ns.size() != x.length + 1) {
                throw new LosslabException(where + ": noise_shape " + ns + " has " + ns.size() + " axes; the input "
                        + fmt(x) + " has " + (x.length + 1));
            }
            for (int i = 1; i < ns.size(); i++) {
                Object d = ns.get(i);
                if (d != null && !(d instanceof Number n && (n.intValue() == 1 || n.intValue() == x[i - 1]))) {
                    throw new LosslabException(where + ": noise_shape " + ns + " does not fit the input " + fmt(x));
                }
            }
        }
        return new Shape(x.clone());
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings settings, LayerBuild<T> b) {
        double rate = settings.rate();
        Operand<T> x = b.x();
        if (!b.training() || rate <= 0) {
            return x;
        }
        Ops s = b.ops();
        Operand<TInt32> shape = s.shape(x);
        if (settings.noiseShape() != null) {
            List<?> ns = settings.noiseShape();
            List<Operand<TInt32>> dims = new ArrayList<>();
            for (int i = 0; i < ns.size(); i++) {
                dims.add(ns.get(i) instanceof Number n ? s.constant(new int[] {n.intValue()})
                        : s.slice(shape, s.constant(new int[] {i}), s.constant(new int[] {1})));
            }
            shape = s.concat(dims, s.constant(0));
        }
        Operand<TFloat32> u = b.uniform(shape, (long) b.position() + 1);
        var keep = s.dtypes.cast(s.math.greaterEqual(u, s.constant((float) rate)), x.type());
        return s.math.mul(s.math.mul(x, keep), s.dtypes.cast(s.constant((float) (1 / (1 - rate))), x.type()));
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("rate", null, "seed", null, "noise_shape", null);
    }

    @Override
    public boolean writesBuildConfig(String className) {
        return false;
    }
}
