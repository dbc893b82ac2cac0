package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.LayerSpec;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' element-wise merges of two or more inputs: Add, Subtract (exactly two), Multiply, Average, Maximum,
 * Minimum. Shapes broadcast as Keras' {@code Merge} layers allow: an axis of size 1 stretches to the other's
 * (a squeeze-and-excitation [1, 1, C] gate times an [H, W, C] map).
 */
public final class MergeLayer extends KerasLayer {
    @Override
    public List<String> kerasNames() {
        return List.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum");
    }

    @Override
    public boolean takes(String className, int n) {
        return n >= 2;
    }

    @Override
    public Shape resolve(LayerSpec l, List<int[]> in, String where) {
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
    public <T extends TNumber> Operand<T> build(LayerBuild<T> b) {
        Ops s = b.ops();
        List<Operand<T>> in = b.inputs();
        Operand<T> y = in.get(0);
        for (int i = 1; i < in.size(); i++) {
            Operand<T> z = in.get(i);
            y = switch (b.spec().className()) {
                case "Add", "Average" -> s.math.add(y, z);
                case "Subtract" -> s.math.sub(y, z);
                case "Multiply" -> s.math.mul(y, z);
                case "Maximum" -> s.math.maximum(y, z);
                case "Minimum" -> s.math.minimum(y, z);
                default -> throw new IllegalStateException(b.spec().className());
            };
        }
        return b.spec().className().equals("Average") ? s.math.div(y, b.scalar(in.size())) : y;
    }
}
