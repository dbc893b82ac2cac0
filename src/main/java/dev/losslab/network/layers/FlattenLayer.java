package dev.losslab.network.layers;

import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** Keras' Flatten: [B, ...] to [B, product] in row-major (channels-last) order. */
public final class FlattenLayer extends KerasLayer<Void> {
    @Override
    public List<String> kerasNames() {
        return List.of("Flatten");
    }

    @Override
    protected Void read(LayerSpec c, String where) {
        return null;
    }

    @Override
    protected Shape shape(Void s, LayerSpec l, List<int[]> in, String where) {
        return new Shape(new int[] {prod(in.get(0))});
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Void s, LayerBuild<T> b) {
        return b.ops().reshape(b.x(), b.ops().constant(new int[] {-1, b.layer().outputShape()[0]}));
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("data_format", "channels_last");
    }
}
