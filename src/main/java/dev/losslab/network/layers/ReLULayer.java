package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' ReLU layer with {@code max_value}, {@code negative_slope} and {@code threshold}, as Keras 3's
 * {@code activations.relu} computes it (keras-team/keras {@code activations/activations.py} ReLU.static_call):
 * f(x) = min(x, max_value) for x > threshold (x >= 0 when the threshold is 0), else negative_slope (x - threshold);
 * relu6 when max_value is 6 and nothing else is set, leaky relu when only the slope is.
 */
public final class ReLULayer extends KerasLayer<ReLULayer.Settings> {
    /** ReLU's config, read once; {@code maxValue} null for none. */
    record Settings(Double maxValue, double negativeSlope, double threshold) {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("ReLU");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        for (String k : List.of("max_value", "negative_slope", "threshold")) {
            Object v = c.get(k);
            if (v != null && !(v instanceof Number)) {
                throw new LosslabException(where + ": " + k + " must be a number, got " + v);
            }
        }
        if (c.get("max_value") instanceof Number m && m.doubleValue() < 0) {
            throw new LosslabException(where + ": max_value " + m + " must not be negative (as in Keras)");
        }
        if (c.get("negative_slope") instanceof Number m && m.doubleValue() < 0) {
            throw new LosslabException(where + ": negative_slope " + m + " must not be negative (as in Keras)");
        }
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.has("max_value") ? c.number("max_value") : null, c.number("negative_slope"),
                c.number("threshold"));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        return new Shape(in.get(0).clone());
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings settings, LayerBuild<T> b) {
        Ops s = b.ops();
        Operand<T> x = b.x();
        double slope = settings.negativeSlope();
        double threshold = settings.threshold();
        Double max = settings.maxValue();
        if (max == null && threshold == 0) {
            return slope == 0 ? s.nn.relu(x) : s.nn.leakyRelu(x, LeakyRelu.alpha((float) slope));
        }
        if (slope == 0 && threshold == 0 && max == 6) {
            return s.nn.relu6(x);
        }
        Operand<T> negative = null;
        if (slope != 0) {
            negative = s.nn.relu(threshold != 0 ? s.math.add(s.math.neg(x), b.scalar(threshold)) : s.math.neg(x));
        }
        Operand<T> y = threshold != 0 ? s.select(s.math.greater(x, b.scalar(threshold)), x, s.zerosLike(x)) : s.nn.relu(x);
        if (max != null) {
            y = s.clipByValue(y, b.scalar(0), b.scalar(max));
        }
        return negative == null ? y : s.math.sub(y, s.math.mul(b.scalar(slope), negative));
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("max_value", null, "negative_slope", 0.0, "threshold", 0.0);
    }

    @Override
    public boolean writesBuildConfig(String className) {
        return false;
    }
}
