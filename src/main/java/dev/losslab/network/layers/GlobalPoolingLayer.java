package dev.losslab.network.layers;

import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.family.TNumber;

/** Keras' GlobalAveragePooling2D and GlobalMaxPooling2D over H and W; {@code keepdims} gives [1, 1, C]. */
public final class GlobalPoolingLayer extends KerasLayer<GlobalPoolingLayer.Settings> {
    /** A global pooling layer's config, read once. */
    record Settings(boolean average, boolean keepdims) {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("GlobalAveragePooling2D", "GlobalMaxPooling2D");
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.className().equals("GlobalAveragePooling2D"), c.bool("keepdims"));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        int[] x = image(in, where);
        return new Shape(s.keepdims() ? new int[] {1, 1, x[2]} : new int[] {x[2]});
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings settings, LayerBuild<T> b) {
        var s = b.ops();
        var axes = s.constant(new int[] {1, 2});
        return settings.average() ? s.math.mean(b.x(), axes, Mean.keepDims(settings.keepdims()))
                : s.max(b.x(), axes, Max.keepDims(settings.keepdims()));
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
