package dev.losslab.network.layers;

import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** Keras' Flatten: [B, ...] to [B, product] in row-major (channels-last) order. */
public final class FlattenLayer extends KerasLayer {
    @Override
    public List<String> kerasNames() {
        return List.of("Flatten");
    }

    @Override
    public Shape resolve(LayerSpec l, List<int[]> in, String where) {
        return new Shape(new int[] {prod(in.get(0))});
    }

    @Override
    public <T extends TNumber> Operand<T> build(LayerBuild<T> b) {
        return b.ops().reshape(b.x(), b.ops().constant(new int[] {-1, b.layer().outputShape()[0]}));
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("data_format", "channels_last");
    }
}
