package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.family.TNumber;

/**
 * A cosine classifier, the normalised last layer LDAM is defined on (Cao et al. 2019, sec. 3 and their code's
 * {@code NormedLinear}): logits z_k = (x / ||x||) . (W_k / ||W_k||), the cosine between the features and each
 * class's weight column, in [-1, 1], no bias; LDAM then scales them by s. Not a Keras layer: losslab's own name
 * {@code NormedDense}, config {@code units} and {@code kernel_initializer} (Keras' Dense defaults). The norms
 * have a floor of 1e-12 (torch's {@code F.normalize}).
 */
public final class NormedDenseLayer extends KerasLayer<NormedDenseLayer.Settings> {
    /** The config, read once. */
    record Settings(int units, String activation, Map<String, Object> kernelInitializer) implements Activated {
    }

    private static final double FLOOR = 1e-12;

    @Override
    public List<String> kerasNames() {
        return List.of("NormedDense");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        Weighted.normalise(c, kerasDefaults(className), where, "kernel");
        require(c, "units", where);
        if (c.get("kernel_regularizer") != null) {
            throw new LosslabException(where + ": kernel_regularizer is not supported on NormedDense (its scale is free)");
        }
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.integer("units"), c.string("activation"), init(c, "kernel_initializer"));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        int[] x = in.get(0);
        if (x.length != 1) {
            throw new LosslabException(where + ": NormedDense on a " + fmt(x) + " input; put Flatten or a global pooling "
                    + "layer before it");
        }
        return new Shape(new int[] {s.units()}, new Weights(l).trainable("kernel", new long[] {x[0], s.units()},
                s.kernelInitializer()).list());
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings settings, LayerBuild<T> b) {
        Ops s = b.ops();
        Operand<T> x = b.x();
        Operand<T> w = s.identity(b.weight(0));
        Operand<T> xn = s.math.div(x, s.math.maximum(s.math.sqrt(s.reduceSum(s.math.square(x), s.constant(new int[] {1}),
                ReduceSum.keepDims(true))), b.scalar(FLOOR)));
        Operand<T> wn = s.math.div(w, s.math.maximum(s.math.sqrt(s.reduceSum(s.math.square(w), s.constant(new int[] {0}),
                ReduceSum.keepDims(true))), b.scalar(FLOOR)));
        return b.activation(s.linalg.matMul(xn, wn), settings.activation());
    }

    /** Its arguments and their defaults, as Keras' Dense has them (it is never written as a Keras config). */
    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("units", null, "activation", "linear", "kernel_initializer", initializer("GlorotUniform"),
                "kernel_regularizer", null);
    }

    @Override
    public Map<String, Object> toConfig(LayerSpec l) {
        throw new LosslabException("layer '" + l.name() + "' (" + l.className() + ") is a cosine classifier (LDAM's normalised last layer), which Keras has no layer for; it cannot be written as a Keras file");
    }
}
