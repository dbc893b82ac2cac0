package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' LayerNormalization over the last axis, per sample: y = gamma (x - mean) / sqrt(var + epsilon) + beta
 * with the biased variance (keras-team/keras {@code ops/nn.py} layer_normalization; epsilon 1e-3 by default).
 * Weights gamma then beta [C].
 */
public final class LayerNormalizationLayer extends KerasLayer<LayerNormalizationLayer.Settings> {
    /** LayerNormalization's config, read once. */
    record Settings(int axis, double epsilon, boolean center, boolean scale) {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("LayerNormalization");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        if (!(c.getOrDefault("axis", -1) instanceof Number)) {
            throw new LosslabException(where + ": axis " + c.get("axis") + " is not supported (the last axis)");
        }
        if (Boolean.TRUE.equals(c.get("rms_scaling"))) {
            throw new LosslabException(where + ": rms_scaling is not supported");
        }
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.integer("axis"), c.number("epsilon"), c.bool("center"), c.bool("scale"));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        int[] x = in.get(0);
        int c = lastAxis(s.axis(), x, where);
        Weights w = new Weights(l);
        if (s.scale()) {
            w.trainable("gamma", new long[] {c}, constant("Ones"));
        }
        if (s.center()) {
            w.trainable("beta", new long[] {c}, constant("Zeros"));
        }
        return new Shape(x.clone(), w.list());
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings settings, LayerBuild<T> b) {
        Ops s = b.ops();
        Operand<T> x = b.x();
        var last = s.constant(new int[] {-1});
        Operand<T> mean = s.math.mean(x, last, Mean.keepDims(true));
        Operand<T> centred = s.math.sub(x, mean);
        Operand<T> var = s.math.mean(s.math.square(centred), last, Mean.keepDims(true));
        Operand<T> y = s.math.mul(centred, s.math.rsqrt(s.math.add(var, b.scalar(settings.epsilon()))));
        int next = 0;
        if (settings.scale()) {
            y = s.math.mul(y, b.weight(next++));
        }
        return settings.center() ? s.math.add(y, b.weight(next)) : y;
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("axis", List.of(-1), "epsilon", 1e-3, "center", true, "scale", true, "rms_scaling", false,
                "beta_initializer", initializer("Zeros"), "gamma_initializer", initializer("Ones"), "beta_regularizer", null, "gamma_regularizer", null,
                "beta_constraint", null, "gamma_constraint", null);
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
