package dev.losslab.network.layers;

import java.util.Map;

import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** Keras' MaxPooling2D and AveragePooling2D: TF's MaxPool / AvgPool over pool_size windows (strides default to it). */
public final class PoolingLayer extends KerasLayer {
    @Override
    public List<String> kerasNames() {
        return List.of("MaxPooling2D", "AveragePooling2D");
    }

    @Override
    public Shape resolve(LayerSpec l, List<int[]> in, String where) {
        int[] x = image(in, where);
        int[] p = l.pair("pool_size", new int[] {2, 2});
        int[] s = l.pair("strides", p);
        return new Shape(new int[] {window(x[0], p[0], s[0], l.padding(), where), window(x[1], p[1], s[1], l.padding(), where),
                x[2]});
    }

    @Override
    public <T extends TNumber> Operand<T> build(LayerBuild<T> b) {
        LayerSpec spec = b.spec();
        int[] p = spec.pair("pool_size", new int[] {2, 2});
        int[] st = spec.pair("strides", p);
        String op = spec.className().equals("MaxPooling2D") ? "MaxPool" : "AvgPool";
        return b.ops().scope().opBuilder(op, op)
                .addInput(b.x().asOutput())
                .setAttr("ksize", new long[] {1, p[0], p[1], 1})
                .setAttr("strides", new long[] {1, st[0], st[1], 1})
                .setAttr("padding", spec.padding().toUpperCase(Locale.ROOT))
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
