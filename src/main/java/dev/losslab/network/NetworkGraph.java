package dev.losslab.network;

import dev.losslab.LosslabException;
import dev.losslab.model.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
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

    private NetworkGraph(ResolvedNetwork net, long seed) {
        this.net = net;
        this.seed = seed;
    }

    /** Variables for every weight (trainable and moving statistics), initialised to {@code values}. */
    public static NetworkGraph create(Ops tf, ResolvedNetwork net, List<Parameter> values, long seed) {
        List<ResolvedNetwork.Weight> weights = net.weights();
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
            var init = scope.constant(Shape.of(p.shape()), DataBuffers.of(p.values(), true, false));
            g.variables.add(scope.withName(p.name().replace('/', '_')).variable(init));
        }
        return g;
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
        List<ResolvedNetwork.Weight> w = net.weights();
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
        return new Pass<>(tf.withSubScope("cnn_forward"), net, variables, training, training ? variables : null,
                training ? updates : null, seed).run(images);
    }

    /** The training pass in bfloat16 on float32 variables (networks without BatchNormalization). */
    public Operand<TFloat32> logitsBf16(Ops tf, Operand<TFloat32> images, boolean training) {
        if (net.layers().stream().anyMatch(l -> l.spec().className().equals("BatchNormalization"))) {
            throw new LosslabException("--precision bf16 is not supported with BatchNormalization layers; use fp32");
        }
        List<Operand<TBfloat16>> half = new ArrayList<>();
        for (var v : variables) {
            half.add(tf.dtypes.cast(v, TBfloat16.class));
        }
        var out = forward(tf, net, tf.dtypes.cast(images, TBfloat16.class), half, training, seed);
        return tf.dtypes.cast(out, TFloat32.class);
    }

    /** Keras' kernel_regularizer terms: sum over kernels of l1 sum|W| + l2 sum W^2 (0 when none). */
    @SuppressWarnings("unchecked")
    public Operand<TFloat32> regularization(Ops tf) {
        Operand<TFloat32> total = tf.constant(0f);
        int at = 0;
        for (ResolvedNetwork.Layer l : net.layers()) {
            Object r = l.spec().config().get("kernel_regularizer");
            if (r instanceof Map<?, ?> m && !l.weights().isEmpty()) {
                // read the variable first: TF's C++ SquareGrad crashes on a ref-typed VariableV2 input
                Operand<TFloat32> kernel = tf.identity(variables.get(at));
                double l1 = ((Number) ((Map<String, Object>) m).get("l1")).doubleValue();
                double l2 = ((Number) ((Map<String, Object>) m).get("l2")).doubleValue();
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
        return new Pass<>(tf.withSubScope("cnn_forward"), net, weights, training, null, null, seed).run(images);
    }

    /**
     * One pass over the layers; a training pass given {@code moving} (the variables) and {@code updates}
     * registers BatchNormalization's moving-average updates there.
     */
    private static final class Pass<T extends TNumber> {
        private final Ops s;
        private final ResolvedNetwork net;
        private final List<? extends Operand<T>> weights;
        private final boolean training;
        private final List<Variable<TFloat32>> moving;
        private final List<Op> updates;
        private final long seed;

        Pass(Ops s, ResolvedNetwork net, List<? extends Operand<T>> weights, boolean training, List<Variable<TFloat32>> moving,
             List<Op> updates, long seed) {
            this.s = s;
            this.net = net;
            this.weights = weights;
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
                ResolvedNetwork.Layer l = net.layers().get(i);
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

        private Operand<T> w(int i) {
            return weights.get(i);
        }

        /** @param deferRelu leave out the layer's relu: the next layer (a max pooling) applies it to its output */
        private Operand<T> layer(ResolvedNetwork.Layer l, List<Operand<T>> in, int at, int position, boolean lastLayer,
                                 boolean deferRelu) {
            LayerSpec spec = l.spec();
            Operand<T> x = in.get(0);
            switch (spec.className()) {
                case "Conv2D" -> {
                    int[] st = spec.pair("strides", new int[] {1, 1});
                    int[] d = spec.pair("dilation_rate", new int[] {1, 1});
                    List<Long> strides = List.of(1L, (long) st[0], (long) st[1], 1L);
                    String pad = spec.padding().toUpperCase(java.util.Locale.ROOT);
                    Operand<T> y;
                    y = d[0] == 1 && d[1] == 1 ? s.nn.conv2d(x, w(at), strides, pad)
                            : s.nn.conv2d(x, w(at), strides, pad, Conv2d.dilations(1L, (long) d[0], (long) d[1], 1L));
                    if (spec.bool("use_bias", true)) {
                        y = s.nn.biasAdd(y, w(at + 1));
                    }
                    return deferRelu ? y : activation(y, spec.string("activation", "linear"), lastLayer);
                }
                case "MaxPooling2D", "AveragePooling2D" -> {
                    int[] p = spec.pair("pool_size", new int[] {2, 2});
                    int[] st = spec.pair("strides", p);
                    String pad = spec.padding().toUpperCase(java.util.Locale.ROOT);
                    var op = s.scope().opBuilder(spec.className().equals("MaxPooling2D") ? "MaxPool" : "AvgPool",
                                    spec.className().equals("MaxPooling2D") ? "MaxPool" : "AvgPool")
                            .addInput(x.asOutput())
                            .setAttr("ksize", new long[] {1, p[0], p[1], 1})
                            .setAttr("strides", new long[] {1, st[0], st[1], 1})
                            .setAttr("padding", pad)
                            .build();
                    return op.<T>output(0);
                }
                case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> {
                    var axes = s.constant(new int[] {1, 2});
                    boolean keep = spec.bool("keepdims", false);
                    return spec.className().equals("GlobalAveragePooling2D")
                            ? s.math.mean(x, axes, org.tensorflow.op.math.Mean.keepDims(keep))
                            : s.max(x, axes, org.tensorflow.op.core.Max.keepDims(keep));
                }
                case "Flatten" -> {
                    return s.reshape(x, s.constant(new int[] {-1, l.outputShape()[0]}));
                }
                case "Dense" -> {
                    Operand<T> y = s.linalg.matMul(x, w(at));
                    if (spec.bool("use_bias", true)) {
                        y = s.nn.biasAdd(y, w(at + 1));
                    }
                    return activation(y, spec.string("activation", "linear"), lastLayer);
                }
                case "Dropout" -> {
                    double rate = spec.number("rate", 0);
                    if (!training || rate <= 0) {
                        return x;
                    }
                    var u = s.random.randomUniform(s.shape(x), TFloat32.class, RandomUniform.seed(seed),
                            RandomUniform.seed2((long) position + 1));
                    var keep = s.dtypes.cast(s.math.greaterEqual(u, s.constant((float) rate)), x.type());
                    return s.math.mul(s.math.mul(x, keep), s.dtypes.cast(s.constant((float) (1 / (1 - rate))), x.type()));
                }
                case "BatchNormalization" -> {
                    return batchNorm(l, x, at);
                }
                case "RandomFlip", "RandomCrop", "RandomTranslation", "RandomRotation", "RandomZoom", "RandomContrast",
                     "RandomBrightness" -> {
                    if (!training) {
                        return x; // Keras' preprocessing layers are the identity at inference
                    }
                    var aug = dev.losslab.recipe.Augmentation.fromKeras(spec.className(), spec.config(), spec.name());
                    int[] shape = l.outputShape();
                    Operand<TFloat32> x32 = x.type() == TFloat32.class ? (Operand<TFloat32>) (Operand<?>) x
                            : s.dtypes.cast(x, TFloat32.class);
                    var batch = s.slice(s.shape(x32), s.constant(new int[] {0}), s.constant(new int[] {1}));
                    // a stateful generator seeded from the run's seed and the layer's position, as Dropout's
                    AugmentationGraph.Random random = (sh, k) -> s.random.randomUniform(sh, TFloat32.class,
                            RandomUniform.seed(seed), RandomUniform.seed2((long) position * 16 + k + 1_000_000));
                    Operand<TFloat32> y = AugmentationGraph.applyLayer(s, aug, x32, shape[0], shape[1], batch, random);
                    return x.type() == TFloat32.class ? (Operand<T>) (Operand<?>) y : s.dtypes.cast(y, x.type());
                }
                case "Activation" -> {
                    return deferRelu ? x : activation(x, spec.string("activation", "linear"), lastLayer);
                }
                case "ReLU" -> {
                    double slope = spec.number("negative_slope", 0);
                    return slope == 0 ? s.nn.relu(x) : s.nn.leakyRelu(x, LeakyRelu.alpha((float) slope));
                }
                case "Rescaling" -> {
                    Operand<T> y = s.math.mul(x, s.dtypes.cast(s.constant((float) spec.number("scale", 1)), x.type()));
                    double offset = spec.number("offset", 0);
                    return offset == 0 ? y : s.math.add(y, s.dtypes.cast(s.constant((float) offset), x.type()));
                }
                case "Add" -> {
                    Operand<T> y = in.get(0);
                    for (int i = 1; i < in.size(); i++) {
                        y = s.math.add(y, in.get(i));
                    }
                    return y;
                }
                case "Concatenate" -> {
                    return s.concat(in, s.constant(-1));
                }
                default -> throw new LosslabException(spec.name() + ": cannot build " + spec.className());
            }
        }

        private Operand<T> batchNorm(ResolvedNetwork.Layer l, Operand<T> x, int at) {
            LayerSpec spec = l.spec();
            boolean scale = spec.bool("scale", true);
            boolean center = spec.bool("center", true);
            int gamma = scale ? at : -1;
            int beta = center ? at + (scale ? 1 : 0) : -1;
            int mean = at + (scale ? 1 : 0) + (center ? 1 : 0);
            int var = mean + 1;
            float eps = (float) spec.number("epsilon", 1e-3);
            float momentum = (float) spec.number("momentum", 0.99);
            Class<T> type = x.type();
            int rank = x.shape().numDimensions();
            int[] axes = java.util.stream.IntStream.range(0, rank - 1).toArray();
            Operand<T> m;
            Operand<T> v;
            if (training && spec.bool("trainable", true)) {
                var ax = s.constant(axes);
                m = s.math.mean(x, ax);
                v = s.math.mean(s.math.square(s.math.sub(x, m)), ax);
                if (moving != null && updates != null) {
                    Variable<TFloat32> mm = moving.get(mean);
                    Variable<TFloat32> mv = moving.get(var);
                    var keep = s.constant(momentum);
                    var take = s.constant(1 - momentum);
                    @SuppressWarnings("unchecked")
                    Operand<TFloat32> m32 = (Operand<TFloat32>) (Operand<?>) m;
                    @SuppressWarnings("unchecked")
                    Operand<TFloat32> v32 = (Operand<TFloat32>) (Operand<?>) v;
                    Op upMean = s.assign(mm, s.math.add(s.math.mul(mm, keep), s.math.mul(s.stopGradient(m32), take)));
                    Op upVar = s.assign(mv, s.math.add(s.math.mul(mv, keep), s.math.mul(s.stopGradient(v32), take)));
                    updates.add(upMean);
                    updates.add(upVar);
                }
            } else {
                m = w(mean);
                v = w(var);
            }
            Operand<T> inv = s.math.rsqrt(s.math.add(v, s.dtypes.cast(s.constant(eps), type)));
            if (gamma >= 0) {
                inv = s.math.mul(inv, w(gamma));
            }
            Operand<T> y = s.math.mul(s.math.sub(x, m), inv);
            return beta >= 0 ? s.math.add(y, w(beta)) : y;
        }

        private Operand<T> activation(Operand<T> x, String name, boolean lastLayer) {
            if (lastLayer && (name.equals("softmax") || name.equals("sigmoid"))) {
                return x; // losses take logits; probabilities are made at the head
            }
            Class<T> type = x.type();
            return switch (name) {
                case "linear" -> x;
                case "relu" -> s.nn.relu(x);
                case "sigmoid" -> s.math.sigmoid(x);
                case "softmax" -> s.nn.softmax(x);
                case "tanh" -> s.math.tanh(x);
                case "elu" -> s.nn.elu(x);
                case "selu" -> s.nn.selu(x);
                case "gelu" -> s.math.mul(s.math.mul(x, s.dtypes.cast(s.constant(0.5f), type)),
                        s.math.add(s.dtypes.cast(s.constant(1f), type),
                                s.math.erf(s.math.mul(x, s.dtypes.cast(s.constant((float) (1 / Math.sqrt(2))), type)))));
                case "silu" -> s.math.mul(x, s.math.sigmoid(x));
                case "leaky_relu" -> s.nn.leakyRelu(x, LeakyRelu.alpha(0.2f));
                default -> throw new LosslabException("activation '" + name + "' cannot be built");
            };
        }
    }

    /** The training pass (fp32 or bf16); its BatchNormalization updates land in {@link #updates}. */
    public Operand<TFloat32> trainingLogits(Ops tf, Operand<TFloat32> images, boolean bf16) {
        return bf16 ? logitsBf16(tf, images, true) : logits(tf, images, true);
    }
}
