package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' BatchNormalization on the last axis of any rank (an image's channels, a Dense output's units):
 * y = gamma (x - mean) / sqrt(var + epsilon) + beta. A training pass of a trainable layer uses the batch's mean
 * and biased variance over every other axis and moves the statistics, moving = moving * momentum + batch *
 * (1 - momentum); inference and a frozen layer use the moving statistics and move nothing (Keras 3's rule).
 * Weights in Keras' order: gamma, beta, moving_mean, moving_variance (keras-team/keras
 * {@code layers/normalization/batch_normalization.py}).
 */
public final class BatchNormalizationLayer extends KerasLayer<BatchNormalizationLayer.Settings> {
    /** BatchNormalization's config, read once; {@code trainable} false freezes it on its moving statistics. */
    record Settings(int axis, float momentum, float epsilon, boolean center, boolean scale, boolean trainable) {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("BatchNormalization");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        Object axis = c.getOrDefault("axis", -1);
        if (!(axis instanceof Number)) {
            throw new LosslabException(where + ": axis " + axis + " is not supported (the last axis)");
        }
        if (Boolean.TRUE.equals(c.get("renorm"))) {
            throw new LosslabException(where + ": renorm is not supported");
        }
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.integer("axis"), (float) c.number("momentum"), (float) c.number("epsilon"),
                c.bool("center"), c.bool("scale"), c.bool("trainable", true));
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
        w.state("moving_mean", new long[] {c}, constant("Zeros"));
        w.state("moving_variance", new long[] {c}, constant("Ones"));
        return new Shape(x.clone(), w.list());
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings settings, LayerBuild<T> b) {
        Ops s = b.ops();
        Operand<T> x = b.x();
        boolean scale = settings.scale();
        boolean center = settings.center();
        int gamma = scale ? 0 : -1;
        int beta = center ? (scale ? 1 : 0) : -1;
        int mean = (scale ? 1 : 0) + (center ? 1 : 0);
        int var = mean + 1;
        int rank = x.shape().numDimensions();
        int[] axes = java.util.stream.IntStream.range(0, rank - 1).toArray();
        Operand<T> m;
        Operand<T> v;
        if (b.training() && settings.trainable()) {
            var ax = s.constant(axes);
            m = s.math.mean(x, ax);
            v = s.math.mean(s.math.square(s.math.sub(x, m)), ax);
            b.movingAverage(mean, m, settings.momentum());
            b.movingAverage(var, v, settings.momentum());
        } else {
            m = b.weight(mean);
            v = b.weight(var);
        }
        Operand<T> inv = s.math.rsqrt(s.math.add(v, s.dtypes.cast(s.constant(settings.epsilon()), x.type())));
        if (gamma >= 0) {
            inv = s.math.mul(inv, b.weight(gamma));
        }
        Operand<T> y = s.math.mul(s.math.sub(x, m), inv);
        return beta >= 0 ? s.math.add(y, b.weight(beta)) : y;
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("axis", -1, "momentum", 0.99, "epsilon", 0.001, "center", true, "scale", true,
                "beta_initializer", initializer("Zeros"), "gamma_initializer", initializer("Ones"), "moving_mean_initializer", initializer("Zeros"),
                "moving_variance_initializer", initializer("Ones"), "beta_regularizer", null, "gamma_regularizer", null,
                "beta_constraint", null, "gamma_constraint", null, "synchronized", false, "renorm", false,
                "renorm_clipping", null, "renorm_momentum", 0.99);
    }
}
