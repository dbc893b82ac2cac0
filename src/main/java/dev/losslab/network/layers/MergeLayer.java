package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' element-wise merges of two or more inputs: Add, Subtract (exactly two), Multiply, Average, Maximum,
 * Minimum. Shapes broadcast as Keras' {@code Merge} layers allow: an axis of size 1 stretches to the other's
 * (a squeeze-and-excitation [1, 1, C] gate times an [H, W, C] map). Keras 3 saves a {@code keras.ops} call on a
 * tensor and a number ({@code x + 3.0} in MobileNetV3's hard sigmoid) as the same class with one tensor input;
 * the number is then the config's {@code constant} ({@code constant_first} when it came first).
 */
public final class MergeLayer extends KerasLayer<MergeLayer.Settings> {
    /**
     * A merge's config, read once: its Keras class (the operation), and for a keras.ops call on a number that number
     * ({@code constant}, null otherwise) and whether it came first (losslab's {@code constant_first}, false if unset).
     */
    record Settings(String op, Double constant, boolean constantFirst) {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum");
    }

    @Override
    public boolean takes(String className, int n) {
        return n >= 1;
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.className(), c.has("constant") ? c.number("constant") : null, c.bool("constant_first", false));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        if (s.constant() != null) {
            if (in.size() != 1) {
                throw new LosslabException(where + ": " + l.className() + " of a tensor and a number takes 1 input, got "
                        + in.size());
            }
            return new Shape(in.get(0).clone());
        }
        if (in.size() < 2) {
            throw new LosslabException(where + ": " + l.className() + " needs at least 2 inputs, got " + in.size());
        }
        if (l.className().equals("Subtract") && in.size() != 2) {
            throw new LosslabException(where + ": Subtract takes exactly 2 inputs, got " + in.size());
        }
        int[] out = in.get(0).clone();
        for (int[] o : in) {
            if (o.length != out.length) {
                throw new LosslabException(where + ": " + l.className() + " of different shapes " + fmt(in.get(0)) + " and "
                        + fmt(o));
            }
            for (int d = 0; d < out.length; d++) {
                if (o[d] != out[d] && o[d] != 1 && out[d] != 1) {
                    throw new LosslabException(where + ": " + l.className() + " of different shapes " + fmt(in.get(0))
                            + " and " + fmt(o));
                }
                out[d] = Math.max(out[d], o[d]);
            }
        }
        return new Shape(out);
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings settings, LayerBuild<T> b) {
        Ops s = b.ops();
        List<Operand<T>> in = b.inputs();
        if (settings.constant() != null) {
            Operand<T> c = b.scalar(settings.constant());
            in = settings.constantFirst() ? List.of(c, in.get(0)) : List.of(in.get(0), c);
        }
        Operand<T> y = in.get(0);
        for (int i = 1; i < in.size(); i++) {
            Operand<T> z = in.get(i);
            y = switch (settings.op()) {
                case "Add", "Average" -> s.math.add(y, z);
                case "Subtract" -> s.math.sub(y, z);
                case "Multiply" -> s.math.mul(y, z);
                case "Maximum" -> s.math.maximum(y, z);
                case "Minimum" -> s.math.minimum(y, z);
                default -> throw new IllegalStateException(settings.op());
            };
        }
        return settings.op().equals("Average") ? s.math.div(y, b.scalar(in.size())) : y;
    }

    @Override
    public Map<String, Object> toConfig(LayerSpec l) {
        if (l.has("constant")) {
            throw new LosslabException("layer '" + l.name() + "' is a keras.ops call on a number (" + l.className()
                    + " with " + l.config().get("constant") + "), which a Keras config cannot hold as a layer");
        }
        return super.toConfig(l);
    }
}
