package dev.losslab.network.layers;

import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** Keras' Rescaling: x * scale + offset (scalars). */
public final class RescalingLayer extends KerasLayer<RescalingLayer.Settings> {
    /** Rescaling's config, read once. */
    record Settings(double scale, double offset) {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("Rescaling");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        require(c, "scale", where);
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.number("scale"), c.number("offset"));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        return new Shape(in.get(0).clone());
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings settings, LayerBuild<T> b) {
        var s = b.ops();
        Operand<T> x = b.x();
        Operand<T> y = s.math.mul(x, s.dtypes.cast(s.constant((float) settings.scale()), x.type()));
        return settings.offset() == 0 ? y : s.math.add(y, s.dtypes.cast(s.constant((float) settings.offset()), x.type()));
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("scale", 1.0, "offset", 0.0);
    }
}
