package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' Normalization on the last axis: y = (x - mean) / max(sqrt(variance), 1e-7), or its inverse
 * x = mean + y max(sqrt(variance), 1e-7) when {@code invert} (keras-team/keras
 * {@code layers/preprocessing/normalization.py}). Mean and variance come from the config when it gives them
 * (numbers or per-channel lists), else they are the layer's state as Keras saves it: mean [C], variance [C]
 * and count [] (non-trainable, counted as Keras counts them).
 */
public final class NormalizationLayer extends KerasLayer<NormalizationLayer.Settings> {
    /** Normalization's config, read once: the config's mean and variance (null: the layer's saved state). */
    record Settings(int axis, boolean invert, Object mean, Object variance) {
        boolean stateful() {
            return mean == null;
        }
    }

    private static final double EPSILON = 1e-7; // keras.backend.epsilon()

    @Override
    public List<String> kerasNames() {
        return List.of("Normalization");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        if (!(c.getOrDefault("axis", -1) instanceof Number)) {
            throw new LosslabException(where + ": axis " + c.get("axis") + " is not supported (the last axis)");
        }
        if ((c.get("mean") == null) != (c.get("variance") == null)) {
            throw new LosslabException(where + ": give both mean and variance, or neither");
        }
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.integer("axis"), c.bool("invert"), c.config().get("mean"), c.config().get("variance"));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        int[] x = in.get(0);
        int c = lastAxis(s.axis(), x, where);
        if (!s.stateful()) {
            values(s.mean(), "mean", c, where);
            values(s.variance(), "variance", c, where);
            return new Shape(x.clone());
        }
        Weights w = new Weights(l).state("mean", new long[] {c}, constant("Zeros"))
                .state("variance", new long[] {c}, constant("Ones"))
                .state("count", new long[] {}, constant("Zeros"));
        return new Shape(x.clone(), w.list());
    }

    /** A config mean or variance as C values (a number is broadcast). */
    static float[] values(Object v, String key, int c, String where) {
        float[] out = new float[c];
        if (v instanceof Number n) {
            java.util.Arrays.fill(out, n.floatValue());
            return out;
        }
        if (v instanceof List<?> list && list.size() == 1 && list.get(0) instanceof List<?> inner) {
            v = inner;
        }
        if (v instanceof List<?> list && (list.size() == c || list.size() == 1) && list.stream().allMatch(x -> x instanceof Number)) {
            for (int i = 0; i < c; i++) {
                out[i] = ((Number) list.get(list.size() == 1 ? 0 : i)).floatValue();
            }
            return out;
        }
        throw new LosslabException(where + ": " + key + " " + v + " is neither a number nor " + c + " numbers");
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings settings, LayerBuild<T> b) {
        Ops s = b.ops();
        Operand<T> x = b.x();
        Operand<T> mean;
        Operand<T> variance;
        if (settings.stateful()) {
            mean = b.weight(0);
            variance = b.weight(1);
        } else {
            int c = b.layer().outputShape()[b.layer().outputShape().length - 1];
            mean = s.dtypes.cast(s.constant(values(settings.mean(), "mean", c, b.spec().name())), x.type());
            variance = s.dtypes.cast(s.constant(values(settings.variance(), "variance", c, b.spec().name())), x.type());
        }
        Operand<T> sd = s.math.maximum(s.math.sqrt(variance), b.scalar(EPSILON));
        return settings.invert() ? s.math.add(mean, s.math.mul(x, sd)) : s.math.div(s.math.sub(x, mean), sd);
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("axis", List.of(-1), "invert", false, "mean", null, "variance", null);
    }

    /** Keras writes this layer's axis as a list ([-1]); losslab keeps the one axis it supports as a number. */
    @Override
    public Map<String, Object> toConfig(LayerSpec l) {
        Map<String, Object> c = super.toConfig(l);
        if (c.get("axis") instanceof Number n) {
            c.put("axis", List.of(n.intValue()));
        }
        return c;
    }
}
