package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' ZeroPadding2D and Cropping2D: zeros added to, or rows and columns cut from, the image's borders.
 * The amount is written as Keras takes it: n (every side), [h, w] (top and bottom h, left and right w) or
 * [[top, bottom], [left, right]].
 */
public final class ZeroPadding2DLayer extends KerasLayer<ZeroPadding2DLayer.Settings> {
    /** The amounts [top, bottom, left, right], read once; {@code pad} false for Cropping2D. */
    record Settings(boolean pad, int[] amounts) {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("ZeroPadding2D", "Cropping2D");
    }

    private static String key(String className) {
        return className.equals("ZeroPadding2D") ? "padding" : "cropping";
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        c.put(key(className), sides(c.getOrDefault(key(className), className.equals("ZeroPadding2D") ? 1 : 0), where));
    }

    /** [top, bottom, left, right] of Keras' three ways to write it. */
    static List<Integer> sides(Object v, String where) {
        if (v instanceof Number n) {
            return List.of(n.intValue(), n.intValue(), n.intValue(), n.intValue());
        }
        if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number h && l.get(1) instanceof Number w) {
            return List.of(h.intValue(), h.intValue(), w.intValue(), w.intValue());
        }
        if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof List<?> h && l.get(1) instanceof List<?> w
                && h.size() == 2 && w.size() == 2 && h.get(0) instanceof Number t && h.get(1) instanceof Number bo
                && w.get(0) instanceof Number le && w.get(1) instanceof Number r) {
            List<Integer> out = List.of(t.intValue(), bo.intValue(), le.intValue(), r.intValue());
            if (out.stream().anyMatch(x -> x < 0)) {
                throw new LosslabException(where + ": negative amounts " + v);
            }
            return out;
        }
        if (v instanceof List<?> l && l.size() == 4 && l.stream().allMatch(x -> x instanceof Number)) {
            return l.stream().map(x -> ((Number) x).intValue()).toList(); // losslab's own normalised form
        }
        throw new LosslabException(where + ": expected n, [h, w] or [[top, bottom], [left, right]], got " + v);
    }

    private static int[] amounts(LayerSpec l) {
        return ((List<?>) l.config().get(key(l.className()))).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.className().equals("ZeroPadding2D"), amounts(c));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        int[] x = image(in, where);
        int[] a = s.amounts();
        int sign = s.pad() ? 1 : -1;
        int[] out = {x[0] + sign * (a[0] + a[1]), x[1] + sign * (a[2] + a[3]), x[2]};
        if (out[0] < 1 || out[1] < 1) {
            throw new LosslabException(where + ": cropping " + java.util.Arrays.toString(a) + " (top, bottom, left, right) "
                    + "leaves nothing of " + fmt(x));
        }
        return new Shape(out);
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings settings, LayerBuild<T> b) {
        var s = b.ops();
        int[] a = settings.amounts();
        if (settings.pad()) {
            return s.pad(b.x(), s.constant(new int[][] {{0, 0}, {a[0], a[1]}, {a[2], a[3]}, {0, 0}}), b.scalar(0));
        }
        int[] o = b.layer().outputShape();
        return s.slice(b.x(), s.constant(new int[] {0, a[0], a[2], 0}), s.constant(new int[] {-1, o[0], o[1], -1}));
    }

    /** [[top, bottom], [left, right]] as Keras writes it, then the data format. */
    @Override
    public Map<String, Object> toConfig(LayerSpec l) {
        Map<String, Object> c = super.toConfig(l);
        int[] a = amounts(l);
        c.put(key(l.className()), List.of(List.of(a[0], a[1]), List.of(a[2], a[3])));
        c.put("data_format", "channels_last");
        return c;
    }
}
