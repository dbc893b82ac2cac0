package dev.losslab.network.layers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.losslab.LosslabException;
import dev.losslab.util.KerasObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' ZeroPadding2D (keras/src/layers/reshaping/zero_padding2d.py) as a step of a config's augmentation list, the
 * pad of the pad-then-crop recipe: zeros added top, bottom, left and right. (Inside a network it is an ordinary layer,
 * {@link ZeroPadding2DLayer}.)
 */
public final class ImagePadding extends ImageAugmentation {
    static final Set<String> ARGUMENTS = Set.of("padding");
    private final int top;
    private final int bottom;
    private final int left;
    private final int right;

    ImagePadding(Config c) {
        int[] p = padding(c.keras());
        top = p[0];
        bottom = p[1];
        left = p[2];
        right = p[3];
    }

    @Override
    public String className() {
        return "ZeroPadding2D";
    }

    @Override
    public Map<String, Object> toConfig() {
        return config("padding", List.of(List.of(top, bottom), List.of(left, right)), "data_format", "channels_last");
    }

    @Override
    public int[] outputSize(int h, int w) {
        return new int[] {h + top + bottom, w + left + right};
    }

    @Override
    public Operand<TFloat32> apply(Ops s, Operand<TFloat32> x, int h, int w, Operand<TInt32> batch, Random random) {
        return s.pad(x, s.constant(new int[][] {{0, 0}, {top, bottom}, {left, right}, {0, 0}}), s.constant(0f));
    }

    /** An int, [h, w] or [[top, bottom], [left, right]] (Keras' forms); 1 on every side when absent. */
    private static int[] padding(KerasObject o) {
        JsonNode p = o.raw("padding");
        if (p == null || p.isNull()) {
            return new int[] {1, 1, 1, 1};
        }
        if (p.isInt()) {
            return checked(o, p.intValue(), p.intValue(), p.intValue(), p.intValue());
        }
        if (p.isArray() && p.size() == 2 && p.get(0).isInt() && p.get(1).isInt()) {
            return checked(o, p.get(0).intValue(), p.get(0).intValue(), p.get(1).intValue(), p.get(1).intValue());
        }
        if (p.isArray() && p.size() == 2 && p.get(0).isArray() && p.get(1).isArray() && p.get(0).size() == 2
                && p.get(1).size() == 2) {
            return checked(o, p.get(0).get(0).asInt(), p.get(0).get(1).asInt(), p.get(1).get(0).asInt(),
                    p.get(1).get(1).asInt());
        }
        throw new LosslabException(o.where("padding") + ": an int, [h, w] or [[top, bottom], [left, right]], found " + p);
    }

    private static int[] checked(KerasObject o, int t, int b, int l, int r) {
        if (t < 0 || b < 0 || l < 0 || r < 0) {
            throw new LosslabException(o.where("padding") + ": must be >= 0");
        }
        return new int[] {t, b, l, r};
    }
}
