package dev.losslab.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.BinaryCrossentropy;
import org.tensorflow.framework.losses.CategoricalCrossentropy;
import org.tensorflow.framework.losses.CategoricalHinge;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * losslab's losses that Keras also ships, against tensorflow-framework's implementations of Keras' losses (TF Java's
 * own port, an implementation independent of losslab's): categorical cross-entropy from logits, binary cross-entropy
 * from one logit, and the Crammer-Singer pairwise hinge against Keras' {@code categorical_hinge} on the softmax
 * probabilities, in float64 on random batches, to 1e-12.
 */
class FrameworkLossesTest {

    private static double value(int b, int k, int units, long seed,
                                BiFunction<Ops, Operand<TFloat64>[], Operand<TFloat64>> ours,
                                BiFunction<Ops, Operand<TFloat64>[], Operand<TFloat64>> framework, double[] both) {
        Random r = new Random(seed);
        double[] labels = new double[b * k];
        double[] logits = new double[b * units];
        for (int i = 0; i < b; i++) {
            labels[i * k + r.nextInt(k)] = 1;
        }
        for (int i = 0; i < logits.length; i++) {
            logits[i] = 3 * r.nextGaussian();
        }
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            @SuppressWarnings("unchecked")
            Operand<TFloat64>[] in = new Operand[] {tf.constant(Shape.of(b, k), DataBuffers.of(labels)),
                    tf.constant(Shape.of(b, units), DataBuffers.of(logits))};
            var a = ours.apply(tf, in);
            var f = framework.apply(tf, in);
            try (var res = s.runner().fetch(a).fetch(f).run()) {
                both[0] = ((TFloat64) res.get(0)).getDouble();
                both[1] = ((TFloat64) res.get(1)).getDouble();
            }
        }
        return both[0] - both[1];
    }

    @Test
    void crossEntropyEqualsFrameworksCategoricalCrossentropyFromLogits() {
        double[] both = new double[2];
        for (long seed = 1; seed <= 3; seed++) {
            double d = value(16, 5, 5, seed, (tf, in) -> new CrossEntropyLoss().compute(tf, in[0], in[1], 5),
                    (tf, in) -> new CategoricalCrossentropy(true).call(tf, in[0], in[1]), both);
            assertEquals(0, d, 1e-12, "losslab " + both[0] + ", framework " + both[1]);
        }
    }

    @Test
    void binaryCrossEntropyEqualsFrameworksBinaryCrossentropyFromOneLogit() {
        double[] both = new double[2];
        for (long seed = 1; seed <= 3; seed++) {
            double d = value(16, 2, 1, seed, (tf, in) -> new CrossEntropyLoss().compute(tf, in[0], in[1], 2),
                    // class 1's column of the one-hot labels is the binary target
                    (tf, in) -> new BinaryCrossentropy(true).call(tf, tf.slice(in[0], tf.constant(new int[] {0, 1}),
                            tf.constant(new int[] {-1, 1})), in[1]), both);
            assertEquals(0, d, 1e-12, "losslab " + both[0] + ", framework " + both[1]);
        }
    }

    @Test
    void crammerSingerHingeEqualsFrameworksCategoricalHingeOnProbabilities() {
        double[] both = new double[2];
        Loss hinge = LossRegistry.create(PairwiseHingeLoss.NAME, Map.of("multiclass", "crammer_singer"));
        for (long seed = 1; seed <= 3; seed++) {
            double d = value(16, 4, 4, seed, (tf, in) -> hinge.compute(tf, in[0], in[1], 4),
                    (tf, in) -> new CategoricalHinge().call(tf, in[0], tf.nn.softmax(in[1])),
                    both);
            assertEquals(0, d, 1e-12, "losslab " + both[0] + ", framework " + both[1]);
        }
    }
}
