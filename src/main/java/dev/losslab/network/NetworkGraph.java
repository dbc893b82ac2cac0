package dev.losslab.network;

import dev.losslab.network.layers.ResolvedLayer;
import dev.losslab.network.layers.Weight;
import dev.losslab.LosslabException;
import dev.losslab.network.layers.Activations;
import dev.losslab.network.layers.KerasLayer;
import dev.losslab.network.layers.KerasRegularizer;
import dev.losslab.network.layers.LayerBuild;
import dev.losslab.network.layers.LayerKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * A {@link ResolvedNetwork} built as TF graph ops (NHWC) on graph variables, one builder for every
 * network, the notebook's CNN included. {@link #logits} may be applied several times (a training
 * batch, an evaluation placeholder) on the same variables; {@code training} is decided when the ops
 * are built: the training pass uses batch statistics in BatchNormalization (and registers the
 * moving-average updates, which the trainer runs with its step, since the loss does not depend on
 * them) and drops units in Dropout; the inference pass (evaluation, the exported SavedModel) uses the
 * moving statistics and no dropout. {@link #forward} is the same network on any weight operands and
 * number type, for float64 checks. A relu followed by max pooling is applied after the pooling
 * ({@link PoolBeforeRelu}: the same numbers, a quarter of the relu work).
 *
 * <p>Keras' numerics (keras-team/keras {@code layers/normalization/batch_normalization.py}):
 * y = gamma (x - mean) / sqrt(var + epsilon) + beta with the biased batch variance, epsilon 1e-3,
 * moving = moving * momentum + batch * (1 - momentum), momentum 0.99; inverted dropout scales kept
 * units by 1 / (1 - rate).
 */
public final class NetworkGraph {
    private final ResolvedNetwork net;
    private final long seed;
    private final List<Variable<TFloat32>> variables = new ArrayList<>();
    private final List<Op> updates = new ArrayList<>();
    private final List<org.tensorflow.op.core.Placeholder<TFloat32>> initialFeeds = new ArrayList<>();
    private final List<Op> initialAssigns = new ArrayList<>();
    private List<Parameter> initialValues;

    private NetworkGraph(ResolvedNetwork net, long seed) {
        this.net = net;
        this.seed = seed;
    }

    /**
     * Variables for every weight (trainable and moving statistics), to be set to {@code values} by
     * {@link #initialize}. The values are fed once through a placeholder per weight, never embedded in the graph as
     * constants: a Keras file's weights are then held once in Java and once in TensorFlow's variables, not again
     * in the graph, its constant kernels and a SavedModel's graph definition.
     */
    public static NetworkGraph create(Ops tf, ResolvedNetwork net, List<Parameter> values, long seed) {
        List<Weight> weights = net.weights();
        if (values.size() != weights.size()) {
            throw new IllegalArgumentException(values.size() + " weight values for " + weights.size() + " weights");
        }
        NetworkGraph g = new NetworkGraph(net, seed);
        Ops scope = tf.withSubScope("cnn");
        for (int i = 0; i < values.size(); i++) {
            Parameter p = values.get(i);
            if (!Shape.of(p.shape()).equals(Shape.of(weights.get(i).shape()))) {
                throw new IllegalArgumentException(p.name() + Shape.of(p.shape()) + " for weight " + weights.get(i).name()
                        + Shape.of(weights.get(i).shape()));
            }
            String name = p.name().replace('/', '_');
            Variable<TFloat32> v = scope.withName(name).variable(Shape.of(p.shape()), TFloat32.class);
            var feed = scope.withName(name + "_initial").placeholder(TFloat32.class,
                    org.tensorflow.op.core.Placeholder.shape(Shape.of(p.shape())));
            g.variables.add(v);
            g.initialFeeds.add(feed);
            g.initialAssigns.add(scope.withName(name + "_set").assign(v, feed));
        }
        g.initialValues = values;
        return g;
    }

    /**
     * Sets every variable to its initial value, one weight at a time (run after the session's own
     * {@code initialize()}, which sets the optimizer's slots); the values are then let go.
     */
    public void initialize(org.tensorflow.Session session) {
        if (initialValues == null) {
            throw new IllegalStateException("the network's variables were initialised already");
        }
        for (int i = 0; i < initialFeeds.size(); i++) {
            Parameter p = initialValues.get(i);
            try (TFloat32 t = TFloat32.tensorOf(Shape.of(p.shape()), DataBuffers.of(p.values(), true, false))) {
                session.runner().feed(initialFeeds.get(i), t).addTarget(initialAssigns.get(i)).run().close();
            }
        }
        initialValues = null;
    }

    public ResolvedNetwork network() {
        return net;
    }

    /** Every weight's variable, in {@link ResolvedNetwork#weights} order. */
    public List<Variable<TFloat32>> variables() {
        return variables;
    }

    /** The variables the optimizer trains (not the moving statistics, not frozen layers). */
    public List<Variable<TFloat32>> trainable() {
        List<Variable<TFloat32>> out = new ArrayList<>();
        List<Weight> w = net.weights();
        for (int i = 0; i < w.size(); i++) {
            if (w.get(i).trainable()) {
                out.add(variables.get(i));
            }
        }
        return out;
    }

    /** The moving-statistic updates registered by training passes (run them with the train step). */
    public List<Op> updates() {
        return updates;
    }

    /** Logits of {@code images} [B, H, W, C]: [B, 1] for two classes, [B, K] otherwise. */
    public Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images, boolean training) {
        return new Pass<>(tf.withSubScope("cnn_forward"), net, variables, variables, training, training ? variables : null,
                training ? updates : null, seed).run(images);
    }

    /**
     * A pass in bfloat16 on the float32 variables: images and weights cast to bfloat16, every layer in bfloat16 except
     * BatchNormalization, which computes in float32 on its float32 weights and casts its output back (Keras 3's
     * BatchNormalization under a mixed precision policy); a training pass moves the float32 statistics.
     */
    public Operand<TFloat32> logitsBf16(Ops tf, Operand<TFloat32> images, boolean training) {
        List<Operand<TBfloat16>> half = new ArrayList<>();
        for (var v : variables) {
            half.add(tf.dtypes.cast(v, TBfloat16.class));
        }
        var out = new Pass<>(tf.withSubScope("cnn_forward"), net, half, variables, training, training ? variables : null,
                training ? updates : null, seed).run(tf.dtypes.cast(images, TBfloat16.class));
        return tf.dtypes.cast(out, TFloat32.class);
    }

    /** Keras' kernel_regularizer terms: sum over kernels of l1 sum|W| + l2 sum W^2 (0 when none). */
    public Operand<TFloat32> regularization(Ops tf) {
        Operand<TFloat32> total = tf.constant(0f);
        int at = 0;
        for (ResolvedLayer l : net.layers()) {
            KerasRegularizer r = l.kernelRegularizer();
            if (r != null && !l.weights().isEmpty()) {
                // read the variable first: TF's C++ SquareGrad crashes on a ref-typed VariableV2 input
                Operand<TFloat32> kernel = tf.identity(variables.get(at));
                double l1 = r.l1();
                double l2 = r.l2();
                var axes = tf.constant(java.util.stream.IntStream.range(0, l.weights().get(0).shape().length).toArray());
                if (l1 > 0) {
                    total = tf.math.add(total, tf.math.mul(tf.constant((float) l1), tf.reduceSum(tf.math.abs(kernel), axes)));
                }
                if (l2 > 0) {
                    total = tf.math.add(total, tf.math.mul(tf.constant((float) l2), tf.reduceSum(tf.math.square(kernel), axes)));
                }
            }
            at += l.weights().size();
        }
        return total;
    }

    /**
     * The network on {@code images} with {@code weights} in {@link ResolvedNetwork#weights} order, any
     * number type; a training pass here uses batch statistics but registers no updates (checks in
     * float64, the bf16 pass).
     */
    public static <T extends TNumber> Operand<T> forward(Ops tf, ResolvedNetwork net, Operand<T> images,
                                                         List<? extends Operand<T>> weights, boolean training, long seed) {
        return new Pass<>(tf.withSubScope("cnn_forward"), net, weights, null, training, null, null, seed).run(images);
    }

    /**
     * One pass over the layers; a training pass given {@code moving} (the variables) and {@code updates}
     * registers BatchNormalization's moving-average updates there.
     */
    private static final class Pass<T extends TNumber> {
        private final Ops s;
        private final ResolvedNetwork net;
        private final List<? extends Operand<T>> weights;
        private final List<? extends Operand<TFloat32>> float32;
        private final boolean training;
        private final List<Variable<TFloat32>> moving;
        private final List<Op> updates;
        private final long seed;

        /** {@code float32}: the weights as float32 (the variables), or null to cast {@code weights}. */
        Pass(Ops s, ResolvedNetwork net, List<? extends Operand<T>> weights, List<? extends Operand<TFloat32>> float32,
             boolean training, List<Variable<TFloat32>> moving, List<Op> updates, long seed) {
            this.s = s;
            this.net = net;
            this.weights = weights;
            this.float32 = float32;
            this.training = training;
            this.moving = moving;
            this.updates = updates;
            this.seed = seed;
        }

        Operand<T> run(Operand<T> images) {
            Map<String, Operand<T>> outs = new java.util.HashMap<>();
            int at = 0;
            Operand<T> last = images;
            boolean reluAfterPool = false;
            for (int i = 0; i < net.layers().size(); i++) {
                ResolvedLayer l = net.layers().get(i);
                List<Operand<T>> in = new ArrayList<>();
                for (String from : l.spec().inbound()) {
                    in.add(outs.getOrDefault(from, images));
                }
                // only a classifier's final softmax/sigmoid is left out (resolve() recognised it)
                boolean lastLayer = i == net.layers().size() - 1 && net.strippedActivation() != null;
                boolean deferRelu = PoolBeforeRelu.applies(net, i);
                last = layer(l, in, at, i, lastLayer, deferRelu);
                if (reluAfterPool) {
                    last = s.nn.relu(last);
                }
                reluAfterPool = deferRelu;
                outs.put(l.spec().name(), last);
                at += l.weights().size();
            }
            return last;
        }

        /** One layer, built by its kind on this pass. */
        private Operand<T> layer(ResolvedLayer l, List<Operand<T>> in, int at, int position, boolean lastLayer,
                                 boolean deferRelu) {
            KerasLayer<?> kind = LayerKinds.of(l.spec().className(), l.spec().name());
            return kind.build(new LayerBuild<T>() {
                @Override
                public Ops ops() {
                    return s;
                }

                @Override
                public ResolvedLayer layer() {
                    return l;
                }

                @Override
                public List<Operand<T>> inputs() {
                    return in;
                }

                @Override
                public Operand<T> weight(int k) {
                    return weights.get(at + k);
                }

                @Override
                public Operand<TFloat32> weightFloat32(int k) {
                    return float32 != null ? float32.get(at + k) : s.dtypes.cast(weights.get(at + k), TFloat32.class);
                }

                @Override
                public boolean training() {
                    // a layer Keras called with training=False (a frozen base) runs in inference mode
                    return training && !Boolean.FALSE.equals(l.spec().config().get("call_training"));
                }

                @Override
                public Operand<T> activation(Operand<T> y, String name) {
                    if (lastLayer && (name.equals("softmax") || name.equals("sigmoid"))) {
                        return y; // losses take logits; probabilities are made at the head
                    }
                    if (deferRelu) {
                        return y; // the next layer, a max pooling, applies the relu to its output
                    }
                    return Activations.apply(s, y, name);
                }

                @Override
                public Operand<T> scalar(double v) {
                    return s.dtypes.cast(s.constant((float) v), in.get(0).type());
                }

                @Override
                public int position() {
                    return position;
                }

                @Override
                public Operand<TFloat32> uniform(Operand<TInt32> shape, long seed2) {
                    return s.random.randomUniform(shape, TFloat32.class, RandomUniform.seed(seed), RandomUniform.seed2(seed2));
                }

                @Override
                @SuppressWarnings("unchecked")
                public void movingAverage(int k, Operand<T> batch, float momentum) {
                    if (moving == null || updates == null) {
                        return;
                    }
                    Variable<TFloat32> mv = moving.get(at + k);
                    Operand<TFloat32> b32 = (Operand<TFloat32>) (Operand<?>) batch;
                    updates.add(s.assign(mv, s.math.add(s.math.mul(mv, s.constant(momentum)),
                            s.math.mul(s.stopGradient(b32), s.constant(1 - momentum)))));
                }
            });
        }
    }

    /** The training pass (fp32 or bf16); its BatchNormalization updates land in {@link #updates}. */
    public Operand<TFloat32> trainingLogits(Ops tf, Operand<TFloat32> images, boolean bf16) {
        return bf16 ? logitsBf16(tf, images, true) : logits(tf, images, true);
    }
}
