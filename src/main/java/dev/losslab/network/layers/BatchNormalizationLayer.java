package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' BatchNormalization on the last axis of any rank (an image's channels, a Dense output's units):
 * y = gamma (x - mean) / sqrt(var + epsilon) + beta. A training pass of a trainable layer uses the batch's mean
 * and biased variance over every other axis and moves the statistics, moving = moving * momentum + batch *
 * (1 - momentum); inference and a frozen layer use the moving statistics and move nothing (Keras 3's rule).
 * Weights in Keras' order: gamma, beta, moving_mean, moving_variance (keras-team/keras
 * {@code layers/normalization/batch_normalization.py}).
 *
 * <p>Composed from primitive ops by default (Keras 3 on TensorFlow composes it the same way, from
 * {@code tf.nn.batch_normalization} and its own moments: the reference). A layer marked {@link #FUSED} (the model's
 * {@code "batchNormalization": "fused"}) runs float32 images on TensorFlow's {@code FusedBatchNormV3} (oneDNN's on
 * CPU; its gradient {@code FusedBatchNormGradV3} is in TF's C++ gradient table): the same formula in one kernel,
 * with float32 sums in another order.
 *
 * <p>A bfloat16 pass ({@code --precision bf16}) casts the layer's input to float32, normalises it in float32 on the
 * float32 weights and casts the output back, Keras 3's rule for BatchNormalization under a mixed precision policy
 * (its {@code call}: "BN is prone to overflowing for float16/bfloat16 inputs").
 */
public final class BatchNormalizationLayer extends KerasLayer<BatchNormalizationLayer.Settings> {
    /** losslab's own config key (never written to a Keras file): true runs the layer on TF's fused kernel. */
    public static final String FUSED = "losslab_fused";

    /**
     * BatchNormalization's config, read once; {@code trainable} false freezes it on its moving statistics; {@code fused}
     * (losslab's {@link #FUSED}, false unless marked) picks TF's fused kernel for float32 images.
     */
    record Settings(int axis, float momentum, float epsilon, boolean center, boolean scale, boolean trainable,
                    boolean fused) {
        /** The positions of gamma, beta, moving_mean and moving_variance among the layer's weights (-1: absent). */
        int gamma() {
            return scale ? 0 : -1;
        }

        int beta() {
            return center ? (scale ? 1 : 0) : -1;
        }

        int mean() {
            return (scale ? 1 : 0) + (center ? 1 : 0);
        }

        int variance() {
            return mean() + 1;
        }
    }

    @Override
    public List<String> kerasNames() {
        return List.of("BatchNormalization");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        Object axis = c.getOrDefault("axis", -1);
        if (!(axis instanceof Number)) {
            throw new LosslabException(where + ": axis " + axis + " is not supported (the last axis)");
        }
        if (Boolean.TRUE.equals(c.get("renorm"))) {
            throw new LosslabException(where + ": renorm is not supported");
        }
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.integer("axis"), (float) c.number("momentum"), (float) c.number("epsilon"),
                c.bool("center"), c.bool("scale"), c.bool("trainable", true), c.bool(FUSED, false));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        int[] x = in.get(0);
        int c = lastAxis(s.axis(), x, where);
        Weights w = new Weights(l);
        if (s.scale()) {
            w.trainable("gamma", new long[] {c}, constant("Ones"));
        }
        if (s.center()) {
            w.trainable("beta", new long[] {c}, constant("Zeros"));
        }
        w.state("moving_mean", new long[] {c}, constant("Zeros"));
        w.state("moving_variance", new long[] {c}, constant("Ones"));
        return new Shape(x.clone(), w.list());
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T extends TNumber> Operand<T> ops(Settings settings, LayerBuild<T> b) {
        Operand<T> x = b.x();
        if (x.type() == TBfloat16.class || x.type() == TFloat16.class) {
            // Keras 3: "BN is prone to overflowing for float16/bfloat16 inputs", so it computes in float32
            Operand<TFloat32> y = ops(settings, new InFloat32<>(b));
            return b.ops().dtypes.cast(y, x.type());
        }
        if (settings.fused() && x.type() == TFloat32.class && x.shape().numDimensions() == 4) {
            return (Operand<T>) fused(settings, (LayerBuild<TFloat32>) b, (Operand<TFloat32>) x);
        }
        return composed(settings, b);
    }

    /** A half-precision pass's view in float32: the input cast up, the float32 weights, the same moving averages. */
    private record InFloat32<T extends TNumber>(LayerBuild<T> half) implements LayerBuild<TFloat32> {
        @Override
        public Ops ops() {
            return half.ops();
        }

        @Override
        public ResolvedLayer layer() {
            return half.layer();
        }

        @Override
        public List<Operand<TFloat32>> inputs() {
            return half.inputs().stream().<Operand<TFloat32>>map(i -> half.ops().dtypes.cast(i, TFloat32.class)).toList();
        }

        @Override
        public Operand<TFloat32> weight(int k) {
            return half.weightFloat32(k);
        }

        @Override
        public Operand<TFloat32> weightFloat32(int k) {
            return half.weightFloat32(k);
        }

        @Override
        public boolean training() {
            return half.training();
        }

        @Override
        public Operand<TFloat32> activation(Operand<TFloat32> y, String name) {
            throw new IllegalStateException("BatchNormalization has no activation");
        }

        @Override
        public Operand<TFloat32> scalar(double v) {
            return half.ops().constant((float) v);
        }

        @Override
        public int position() {
            return half.position();
        }

        @Override
        public Operand<TFloat32> uniform(Operand<org.tensorflow.types.TInt32> shape, long seed2) {
            return half.uniform(shape, seed2);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void movingAverage(int k, Operand<TFloat32> batch, float momentum) {
            // the pass's moving averages are float32 variables and take a float32 batch statistic
            half.movingAverage(k, (Operand<T>) (Operand<?>) batch, momentum);
        }
    }

    /**
     * TF's {@code FusedBatchNormV3} on NHWC float32 images. In a training pass it returns the batch's mean and its
     * Bessel-corrected variance; Keras 3 moves the statistics with the biased variance, so that variance is multiplied
     * by (n - 1) / n (n = N H W, from the batch's shape: an epoch's last batch is smaller) before it moves them.
     */
    private static Operand<TFloat32> fused(Settings settings, LayerBuild<TFloat32> b, Operand<TFloat32> x) {
        Ops s = b.ops();
        int c = (int) x.shape().get(3);
        Operand<TFloat32> gamma = settings.gamma() >= 0 ? b.weight(settings.gamma()) : s.constant(filled(c, 1f));
        Operand<TFloat32> beta = settings.beta() >= 0 ? b.weight(settings.beta()) : s.constant(new float[c]);
        if (b.training() && settings.trainable()) {
            Operand<TFloat32> none = s.constant(new float[0]);
            FusedBatchNorm<TFloat32, TFloat32> bn = s.nn.fusedBatchNorm(x, gamma, beta, none, none,
                    FusedBatchNorm.epsilon(settings.epsilon()), FusedBatchNorm.dataFormat("NHWC"),
                    FusedBatchNorm.isTraining(true), FusedBatchNorm.exponentialAvgFactor(1f));
            Operand<TFloat32> n = s.dtypes.cast(s.math.div(s.size(x, TInt64.class), s.constant((long) c)), TFloat32.class);
            Operand<TFloat32> biased = s.math.mul(bn.batchVariance(), s.math.div(s.math.sub(n, s.constant(1f)), n));
            b.movingAverage(settings.mean(), bn.batchMean(), settings.momentum());
            b.movingAverage(settings.variance(), biased, settings.momentum());
            return bn.y();
        }
        return s.nn.fusedBatchNorm(x, gamma, beta, b.weight(settings.mean()), b.weight(settings.variance()),
                FusedBatchNorm.epsilon(settings.epsilon()), FusedBatchNorm.dataFormat("NHWC"),
                FusedBatchNorm.isTraining(false)).y();
    }

    private static float[] filled(int c, float v) {
        float[] o = new float[c];
        java.util.Arrays.fill(o, v);
        return o;
    }

    /** Any rank and number type: Keras 3's formula from primitive ops, the reference. */
    private static <T extends TNumber> Operand<T> composed(Settings settings, LayerBuild<T> b) {
        Ops s = b.ops();
        Operand<T> x = b.x();
        int gamma = settings.gamma();
        int beta = settings.beta();
        int mean = settings.mean();
        int var = settings.variance();
        int rank = x.shape().numDimensions();
        int[] axes = java.util.stream.IntStream.range(0, rank - 1).toArray();
        Operand<T> m;
        Operand<T> v;
        if (b.training() && settings.trainable()) {
            var ax = s.constant(axes);
            m = s.math.mean(x, ax);
            v = s.math.mean(s.math.square(s.math.sub(x, m)), ax);
            b.movingAverage(mean, m, settings.momentum());
            b.movingAverage(var, v, settings.momentum());
        } else {
            m = b.weight(mean);
            v = b.weight(var);
        }
        Operand<T> inv = s.math.rsqrt(s.math.add(v, s.dtypes.cast(s.constant(settings.epsilon()), x.type())));
        if (gamma >= 0) {
            inv = s.math.mul(inv, b.weight(gamma));
        }
        Operand<T> y = s.math.mul(s.math.sub(x, m), inv);
        return beta >= 0 ? s.math.add(y, b.weight(beta)) : y;
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("axis", -1, "momentum", 0.99, "epsilon", 0.001, "center", true, "scale", true,
                "beta_initializer", initializer("Zeros"), "gamma_initializer", initializer("Ones"), "moving_mean_initializer", initializer("Zeros"),
                "moving_variance_initializer", initializer("Ones"), "beta_regularizer", null, "gamma_regularizer", null,
                "beta_constraint", null, "gamma_constraint", null, "synchronized", false, "renorm", false,
                "renorm_clipping", null, "renorm_momentum", 0.99);
    }
}
