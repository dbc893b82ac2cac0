package dev.losslab.network.layers;

import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.family.TNumber;

/** Keras' GlobalAveragePooling2D and GlobalMaxPooling2D over H and W; {@code keepdims} gives [1, 1, C]. */
public final class GlobalPoolingLayer extends KerasLayer {
    @Override
    public List<String> kerasNames() {
        return List.of("GlobalAveragePooling2D", "GlobalMaxPooling2D");
    }

    @Override
    public Shape resolve(LayerSpec l, List<int[]> in, String where) {
        int[] x = image(in, where);
        return new Shape(l.bool("keepdims", false) ? new int[] {1, 1, x[2]} : new int[] {x[2]});
    }

    @Override
    public <T extends TNumber> Operand<T> build(LayerBuild<T> b) {
        var s = b.ops();
        var axes = s.constant(new int[] {1, 2});
        boolean keep = b.spec().bool("keepdims", false);
        return b.spec().className().equals("GlobalAveragePooling2D") ? s.math.mean(b.x(), axes, Mean.keepDims(keep))
                : s.max(b.x(), axes, Max.keepDims(keep));
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("data_format", "channels_last", "keepdims", false);
    }

    @Override
    public boolean writesBuildConfig(String className) {
        return false;
    }
}
