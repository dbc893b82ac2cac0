package dev.losslab.network.layers;

import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * What a layer kind gets to build its ops: the scope, its inputs and weights (read values in the
 * pass's number type), whether this is a training pass, and the pass's services: activations that
 * honour the classifier's stripped final softmax/sigmoid, seeded randomness, moving-average updates.
 */
public interface LayerBuild<T extends TNumber> {
    Ops ops();

    ResolvedLayer layer();

    default LayerSpec spec() {
        return layer().spec();
    }

    List<Operand<T>> inputs();

    default Operand<T> x() {
        return inputs().get(0);
    }

    /** The layer's {@code k}-th weight, in its {@link KerasLayer.Shape#weights} order. */
    Operand<T> weight(int k);

    /**
     * The layer's {@code k}-th weight as float32, the variable's own value whatever the pass's type: a bfloat16 pass's
     * BatchNormalization computes in float32 on it, as Keras 3's does under a mixed precision policy.
     */
    Operand<TFloat32> weightFloat32(int k);

    boolean training();

    /**
     * The activation {@code name} on {@code y}, except a classifier's final softmax/sigmoid (losses take logits)
     * and a relu the next max pooling applies ({@code PoolBeforeRelu}).
     */
    Operand<T> activation(Operand<T> y, String name);

    /** {@code v} as a scalar of the pass's type. */
    Operand<T> scalar(double v);

    /** The layer's position in the network (seeds its random streams). */
    int position();

    /** Uniform [0, 1) floats of {@code shape}, TF's stateful generator seeded by the run's seed and {@code seed2}. */
    Operand<TFloat32> uniform(Operand<TInt32> shape, long seed2);

    /**
     * Registers {@code moving <- moving * momentum + batch * (1 - momentum)} for the layer's {@code k}-th weight,
     * run with the training step (training passes that track state; ignored otherwise).
     */
    void movingAverage(int k, Operand<T> batch, float momentum);
}
