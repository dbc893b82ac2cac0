package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/**
 * The two scaling layers keras.applications defines: ConvNeXt's LayerScale (x gamma, gamma [projection_dim]
 * trainable, initialised to init_values) and InputResNetV2's CustomScaleLayer (inputs[0] + inputs[1] scale)
 * (keras-team/keras {@code applications/convnext.py}, {@code applications/inception_resnet_v2.py}).
 */
public final class ScaleLayer extends KerasLayer<ScaleLayer.Settings> {
    /** The config, read once: LayerScale's projection_dim and init_values, or CustomScaleLayer's scale. */
    record Settings(boolean layerScale, int projectionDim, double initValues, double scale) {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("LayerScale", "CustomScaleLayer");
    }

    @Override
    public boolean takes(String className, int n) {
        return className.equals("CustomScaleLayer") ? n == 2 : n == 1;
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        if (className.equals("LayerScale")) {
            require(c, "init_values", where);
            require(c, "projection_dim", where);
        } else {
            require(c, "scale", where);
        }
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return c.className().equals("LayerScale") ? new Settings(true, c.integer("projection_dim"), c.number("init_values"), 0)
                : new Settings(false, 0, 0, c.number("scale"));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        int[] x = in.get(0);
        if (!s.layerScale()) {
            if (in.size() != 2 || !java.util.Arrays.equals(in.get(0), in.get(1))) {
                throw new LosslabException(where + ": CustomScaleLayer takes two inputs of one shape");
            }
            return new Shape(x.clone());
        }
        int dim = s.projectionDim();
        if (dim != x[x.length - 1]) {
            throw new LosslabException(where + ": projection_dim " + dim + " does not match the input " + fmt(x));
        }
        return new Shape(x.clone(), new Weights(l).trainable("gamma", new long[] {dim},
                Map.of("class_name", "Constant", "config", Map.of("value", s.initValues()))).list());
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings settings, LayerBuild<T> b) {
        var s = b.ops();
        if (settings.layerScale()) {
            return s.math.mul(b.x(), b.weight(0));
        }
        return s.math.add(b.inputs().get(0), s.math.mul(b.inputs().get(1), b.scalar(settings.scale())));
    }

    @Override
    public Map<String, Object> toConfig(LayerSpec l) {
        throw new LosslabException("layer '" + l.name() + "' (" + l.className() + ") is a keras.applications-internal scale layer, not a layer Keras itself registers; it cannot be written as a Keras file");
    }
}
