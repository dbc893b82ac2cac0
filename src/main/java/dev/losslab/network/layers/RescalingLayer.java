package dev.losslab.network.layers;

import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** Keras' Rescaling: x * scale + offset (scalars). */
public final class RescalingLayer extends KerasLayer {
    @Override
    public List<String> kerasNames() {
        return List.of("Rescaling");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        require(c, "scale", where);
    }

    @Override
    public Shape resolve(LayerSpec l, List<int[]> in, String where) {
        l.number("scale", 1);
        l.number("offset", 0);
        return new Shape(in.get(0).clone());
    }

    @Override
    public <T extends TNumber> Operand<T> build(LayerBuild<T> b) {
        var s = b.ops();
        Operand<T> x = b.x();
        Operand<T> y = s.math.mul(x, s.dtypes.cast(s.constant((float) b.spec().number("scale", 1)), x.type()));
        double offset = b.spec().number("offset", 0);
        return offset == 0 ? y : s.math.add(y, s.dtypes.cast(s.constant((float) offset), x.type()));
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("scale", 1.0, "offset", 0.0);
    }
}
