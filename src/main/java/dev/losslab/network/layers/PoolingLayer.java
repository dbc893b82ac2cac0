package dev.losslab.network.layers;

import java.util.Map;

import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** Keras' MaxPooling2D and AveragePooling2D: TF's MaxPool / AvgPool over pool_size windows (strides default to it). */
public final class PoolingLayer extends KerasLayer<PoolingLayer.Settings> {
    /** A pooling layer's config, read once: max or average, window, strides (the window's when none are given). */
    record Settings(boolean max, int[] pool, int[] strides, String padding) {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("MaxPooling2D", "AveragePooling2D");
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        int[] p = c.pair("pool_size");
        return new Settings(c.className().equals("MaxPooling2D"), p, c.has("strides") ? c.pair("strides") : p, c.padding());
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        int[] x = image(in, where);
        int[] p = s.pool();
        int[] st = s.strides();
        return new Shape(new int[] {window(x[0], p[0], st[0], s.padding(), where), window(x[1], p[1], st[1], s.padding(), where),
                x[2]});
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings s, LayerBuild<T> b) {
        String op = s.max() ? "MaxPool" : "AvgPool";
        return b.ops().scope().opBuilder(op, op)
                .addInput(b.x().asOutput())
                .setAttr("ksize", new long[] {1, s.pool()[0], s.pool()[1], 1})
                .setAttr("strides", new long[] {1, s.strides()[0], s.strides()[1], 1})
                .setAttr("padding", s.padding().toUpperCase(Locale.ROOT))
                .build().<T>output(0);
    }

    @Override
    public boolean writesBuildConfig(String className) {
        return false;
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("pool_size", List.of(2, 2), "padding", "valid", "strides", null, "data_format", "channels_last");
    }

    /** Keras writes the strides a pooling layer ends up with: its pool size when none are given. */
    @Override
    public Map<String, Object> toConfig(LayerSpec l) {
        Map<String, Object> c = super.toConfig(l);
        if (c.get("strides") == null) {
            c.put("strides", c.get("pool_size"));
        }
        return c;
    }
}
