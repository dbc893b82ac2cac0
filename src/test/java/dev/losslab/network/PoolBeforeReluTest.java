package dev.losslab.network;

import dev.losslab.data.InputShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The relu moved past max pooling gives the same logits and the same gradients, bit for bit, as the
 * relu applied first (a separate {@code ReLU} layer, which the reorder leaves alone), including
 * windows whose values are all negative and ties; and the reorder applies only where it is exact.
 */
class PoolBeforeReluTest {
    private static final InputShape IN = new InputShape(9, 9, 2);

    private static List<Map<String, Object>> layers(boolean fused, String padding) {
        List<Map<String, Object>> l = new ArrayList<>();
        l.add(Map.of("Conv2D", Map.of("filters", 4, "kernel_size", 3, "padding", padding, "activation", fused ? "relu" : "linear")));
        if (!fused) {
            l.add(Map.of("ReLU", Map.of()));
        }
        l.add(Map.of("MaxPooling2D", Map.of("pool_size", 2, "padding", padding)));
        l.add(Map.of("Conv2D", Map.of("filters", 3, "kernel_size", 2, "padding", padding)));
        l.add(Map.of("Activation", Map.of("activation", "relu")));
        l.add(Map.of("MaxPooling2D", Map.of("pool_size", 2, "padding", padding)));
        l.add(Map.of("Flatten", Map.of()));
        l.add(Map.of("Dense", Map.of("units", 3)));
        return l;
    }

    /** Logits, then the gradient of their sum of squares for each weight, all flattened. */
    private static List<float[]> logitsAndGradients(ResolvedNetwork net, float[] x, List<float[]> weights) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var images = tf.constant(Shape.of(4, IN.height(), IN.width(), IN.channels()), DataBuffers.of(x, true, false));
            List<Operand<TFloat32>> w = new ArrayList<>();
            for (int i = 0; i < weights.size(); i++) {
                w.add(tf.variable(tf.constant(Shape.of(net.weights().get(i).shape()), DataBuffers.of(weights.get(i), true, false))));
            }
            var logits = NetworkGraph.forward(tf, net, images, w, true, 3);
            var loss = tf.reduceSum(tf.math.square(logits), tf.constant(new int[] {0, 1}));
            Output<?>[] grads = g.addGradients(loss.asOutput(), w.stream().map(Operand::asOutput).toArray(Output[]::new));
            s.initialize();
            var runner = s.runner().fetch(logits);
            for (Output<?> o : grads) {
                runner.fetch(o);
            }
            List<float[]> out = new ArrayList<>();
            try (var r = runner.run()) {
                for (int i = 0; i < r.size(); i++) {
                    TFloat32 t = (TFloat32) r.get(i);
                    float[] v = new float[(int) t.shape().size()];
                    t.copyTo(DataBuffers.of(v, false, false));
                    out.add(v);
                }
            }
            return out;
        }
    }

    @Test
    void reluAfterPoolingGivesTheSameLogitsAndGradientsBitForBit() {
        for (String padding : List.of("same", "valid")) {
            ResolvedNetwork reordered = ResolvedNetwork.shapesOnly(LayerList.parse(layers(true, padding)), IN);
            ResolvedNetwork plain = ResolvedNetwork.shapesOnly(LayerList.parse(layers(false, padding)), IN);
            assertTrue(PoolBeforeRelu.applies(reordered, 0) && PoolBeforeRelu.applies(reordered, 3));
            assertFalse(PoolBeforeRelu.applies(plain, 0) || PoolBeforeRelu.applies(plain, 1));
            SplittableRandom r = new SplittableRandom(11);
            float[] x = new float[4 * IN.perImage()];
            for (int i = 0; i < x.length; i++) {
                // a quarter of the pixels equal: ties in the pooling windows; negative biases below make all-negative windows
                x[i] = i % 4 == 0 ? 0.25f : (float) (r.nextDouble() * 2 - 1);
            }
            List<float[]> weights = new ArrayList<>();
            for (var w : reordered.weights()) {
                float[] v = new float[(int) w.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextDouble() - (w.role().equals("bias") ? 0.8 : 0.5));
                }
                weights.add(v);
            }
            List<float[]> a = logitsAndGradients(reordered, x, weights);
            List<float[]> b = logitsAndGradients(plain, x, weights);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(b.get(i), a.get(i), 0f, padding + (i == 0 ? " logits" : " gradient of weight " + (i - 1)));
            }
        }
    }

    @Test
    void appliesOnlyToReluBeforeMaxPoolingWithNoOtherConsumer() {
        ResolvedNetwork avg = ResolvedNetwork.shapesOnly(LayerList.parse(List.of(
                Map.of("Conv2D", Map.of("filters", 2, "kernel_size", 3, "activation", "relu")),
                Map.of("AveragePooling2D", Map.of()))), IN);
        assertFalse(PoolBeforeRelu.applies(avg, 0), "average pooling does not commute with relu");
        ResolvedNetwork tanh = ResolvedNetwork.shapesOnly(LayerList.parse(List.of(
                Map.of("Conv2D", Map.of("filters", 2, "kernel_size", 3, "activation", "tanh")),
                Map.of("MaxPooling2D", Map.of()))), IN);
        assertFalse(PoolBeforeRelu.applies(tanh, 0), "only relu");
        ResolvedNetwork branch = ResolvedNetwork.shapesOnly(LayerList.parse(List.of(
                Map.of("Conv2D", Map.of("name", "c", "filters", 2, "kernel_size", 3, "padding", "same", "activation", "relu")),
                Map.of("MaxPooling2D", Map.of("name", "p", "padding", "same", "strides", 1)),
                Map.of("Add", Map.of("name", "sum", "inputs", List.of("p", "c"))))), IN);
        assertFalse(PoolBeforeRelu.applies(branch, 0), "the relu output has a second consumer");
    }
}
