package dev.losslab.network;

import dev.losslab.data.InputShape;
import dev.losslab.network.layers.LayerKinds;
import static dev.losslab.network.NetworkGraphTest.N;
import static dev.losslab.network.NetworkGraphTest.forward64;
import static dev.losslab.network.NetworkGraphTest.one;
import static dev.losslab.network.NetworkGraphTest.random;
import static dev.losslab.network.NetworkGraphTest.randomWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * The layers keras.applications adds, in float64 against plain-Java references written from their definitions
 * (odd sizes, both paddings, strides, dilation, depth multipliers, groups), and their trainable weights' gradients
 * against finite differences. Keras' own outputs for each are checked by {@link KerasApplicationsTest}.
 */
class KerasLayersTest {

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), what + " at " + i);
        }
    }

    @Test
    void aLayerListArgumentNoKindTakesIsOneLineNamingTheLayer() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.losslab.LosslabException.class, () -> LayerList.parse(
                List.of(Map.of("Flatten", Map.of()), Map.of("Dense", Map.of("units", 2, "use_bais", false)))));
        assertEquals("model.layers[1] 'dense_1' (Dense): Dense has no argument 'use_bais'; valid: [activation, "
                + "activity_regularizer, batch_input_shape, batch_shape, bias_constraint, bias_initializer, bias_regularizer, "
                + "call_training, dtype, input_shape, inputs, kernel_constraint, kernel_initializer, kernel_regularizer, name, "
                + "quantization_config, trainable, units, use_bias]", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(dev.losslab.LosslabException.class, () -> LayerList.parse(
                List.of(Map.of("RandomFlip", Map.of("modes", "horizontal")), Map.of("Flatten", Map.of()))));
        assertEquals("model.layers[0] 'random_flip_0' (RandomFlip): RandomFlip has no argument 'modes'; valid: [activity_regularizer, "
                + "batch_input_shape, batch_shape, call_training, data_format, dtype, input_shape, inputs, mode, name, seed, trainable]", e.getMessage());
    }

    @Test
    void depthwiseSeparableAndGroupedConvolutions() {
        SplittableRandom r = new SplittableRandom(3);
        InputShape in = new InputShape(9, 7, 4);
        for (String pad : List.of("same", "valid")) {
            for (int[] sd : new int[][] {{1, 1}, {2, 1}, {1, 2}}) {
                double[] x = random(N * in.perImage(), r);
                for (int mult : new int[] {1, 3}) {
                    ResolvedNetwork dw = one(Map.of("DepthwiseConv2D", Map.of("kernel_size", List.of(3, 2), "strides", sd[0],
                            "dilation_rate", sd[1], "padding", pad, "depth_multiplier", mult)), in);
                    List<double[]> w = randomWeights(dw, r);
                    int[] os = dw.layers().get(0).outputShape();
                    int f = 4 * mult;
                    double[] expected = Reference.grouped(x, N, 9, 7, 4, w.get(0), 3, 2, f, 4, sd[0], sd[1], pad, os[0], os[1]);
                    for (int i = 0; i < expected.length; i++) {
                        expected[i] += w.get(1)[i % f];
                    }
                    String what = pad + " stride " + sd[0] + " dilation " + sd[1] + " multiplier " + mult;
                    assertClose(expected, forward64(dw, x, in, w, false), "depthwise " + what);

                    ResolvedNetwork sep = one(Map.of("SeparableConv2D", Map.of("filters", 5, "kernel_size", List.of(3, 2),
                            "strides", sd[0], "dilation_rate", sd[1], "padding", pad, "depth_multiplier", mult)), in);
                    List<double[]> sw = randomWeights(sep, r);
                    double[] depth = Reference.grouped(x, N, 9, 7, 4, sw.get(0), 3, 2, f, 4, sd[0], sd[1], pad, os[0], os[1]);
                    double[] point = Reference.grouped(depth, N, os[0], os[1], f, sw.get(1), 1, 1, 5, 1, 1, 1, "valid", os[0], os[1]);
                    for (int i = 0; i < point.length; i++) {
                        point[i] += sw.get(2)[i % 5];
                    }
                    assertClose(point, forward64(sep, x, in, sw, false), "separable " + what);
                }
                for (int[] gf : new int[][] {{2, 6}, {4, 8}}) { // two channels per group; one (the depthwise path)
                    ResolvedNetwork gc = one(Map.of("Conv2D", Map.of("filters", gf[1], "kernel_size", List.of(3, 2), "groups", gf[0],
                            "strides", sd[0], "dilation_rate", sd[1], "padding", pad, "use_bias", false)), in);
                    List<double[]> w = randomWeights(gc, r);
                    int[] os = gc.layers().get(0).outputShape();
                    assertClose(Reference.grouped(x, N, 9, 7, 4, w.get(0), 3, 2, gf[1], gf[0], sd[0], sd[1], pad, os[0], os[1]),
                            forward64(gc, x, in, w, false), "groups " + gf[0] + " " + pad + " stride " + sd[0]);
                }
            }
        }
    }

    @Test
    void paddingCroppingReshapeNormalisationsAndScales() {
        SplittableRandom r = new SplittableRandom(4);
        InputShape in = new InputShape(5, 4, 3);
        double[] x = random(N * in.perImage(), r);
        double[] padded = forward64(one(Map.of("ZeroPadding2D", Map.of("padding", List.of(List.of(1, 2), List.of(0, 3)))), in),
                x, in, List.of(), false);
        double[] cropped = forward64(one(Map.of("Cropping2D", Map.of("cropping", List.of(List.of(1, 2), List.of(0, 1)))), in),
                x, in, List.of(), false);
        for (int b = 0; b < N; b++) {
            for (int y = 0; y < 8; y++) {
                for (int xx = 0; xx < 7; xx++) {
                    for (int c = 0; c < 3; c++) {
                        boolean inside = y >= 1 && y < 6 && xx < 4;
                        assertEquals(inside ? x[((b * 5 + y - 1) * 4 + xx) * 3 + c] : 0, padded[((b * 8 + y) * 7 + xx) * 3 + c]);
                    }
                }
            }
            for (int y = 0; y < 2; y++) {
                for (int xx = 0; xx < 3; xx++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(x[((b * 5 + y + 1) * 4 + xx) * 3 + c], cropped[((b * 2 + y) * 3 + xx) * 3 + c]);
                    }
                }
            }
        }
        // LayerNormalization over channels: per position, (x - mean) / sqrt(var + eps) * gamma + beta
        ResolvedNetwork ln = one(Map.of("LayerNormalization", Map.of("epsilon", 1e-3)), in);
        List<double[]> lw = randomWeights(ln, r);
        double[] y = forward64(ln, x, in, lw, false);
        for (int p = 0; p < N * 20; p++) {
            double m = (x[p * 3] + x[p * 3 + 1] + x[p * 3 + 2]) / 3;
            double v = 0;
            for (int c = 0; c < 3; c++) {
                v += (x[p * 3 + c] - m) * (x[p * 3 + c] - m) / 3;
            }
            for (int c = 0; c < 3; c++) {
                // (epsilon travels as a float32 constant, as in a float32 Keras model: 1e-3 is 0.0010000000475)
                assertEquals((x[p * 3 + c] - m) / Math.sqrt(v + (float) 1e-3) * lw.get(0)[c] + lw.get(1)[c], y[p * 3 + c], 1e-12);
            }
        }
        // Normalization with its state, and with config values; ReLU with a threshold, a cap and a slope
        ResolvedNetwork norm = one(Map.of("Normalization", Map.of()), in);
        double[] mean = {0.1, -0.2, 0.3};
        double[] variance = {4, 0.25, 1e-20};
        double[] ny = forward64(norm, x, in, List.of(mean, variance, new double[] {7}), false);
        double[] fixed = forward64(one(Map.of("Normalization", Map.of("mean", List.of(0.1, -0.2, 0.3), "variance",
                List.of(4.0, 0.25, 1e-20))), in), x, in, List.of(), false);
        double[] relu = forward64(one(Map.of("ReLU", Map.of("max_value", 0.5, "negative_slope", 0.1, "threshold", 0.2)), in),
                x, in, List.of(), false);
        for (int i = 0; i < x.length; i++) {
            int c = i % 3;
            double want = (x[i] - mean[c]) / Math.max(Math.sqrt(variance[c]), (float) 1e-7); // Keras epsilon, a float32
            assertEquals(want, ny[i], 1e-9 * Math.max(1, Math.abs(want)));
            assertEquals(ny[i], fixed[i], 1e-6 * Math.max(1, Math.abs(want))); // config values travel as float32
            // Keras 3: x > threshold ? min(x, max) : 0, minus slope * relu(threshold - x)
            double k = (x[i] > 0.2 ? Math.min(x[i], 0.5) : 0) - 0.1 * Math.max(0, 0.2 - x[i]);
            assertEquals(k, relu[i], 1e-7);
        }
        // Reshape keeps the row-major order; a -1 takes the rest
        double[] reshaped = forward64(ResolvedNetwork.shapesOnly(LayerList.parse(List.of(Map.of("Reshape",
                Map.of("target_shape", List.of(-1, 6))))), in), x, in, List.of(), false);
        assertClose(x, reshaped, "reshape");
    }

    /** LeakyReLU, the layer kind added as the vocabulary's example: Keras' default slope 0.3, its own, Keras 2's alpha. */
    @Test
    void leakyReluIsKerasFormulaWithItsDefaultSlope() {
        InputShape in = new InputShape(2, 3, 2);
        double[] x = random(N * in.perImage(), new SplittableRandom(12));
        for (Object[] c : new Object[][] {{Map.of(), 0.3}, {Map.of("negative_slope", 0.05), 0.05}, {Map.of("alpha", 0.2), 0.2}}) {
            @SuppressWarnings("unchecked")
            Map<String, Object> args = (Map<String, Object>) c[0];
            double slope = (Double) c[1];
            ResolvedNetwork net = ResolvedNetwork.shapesOnly(LayerList.parse(List.of(Map.of("LeakyReLU", args))), in);
            double[] y = forward64(net, x, in, List.of(), false);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i] >= 0 ? x[i] : slope * x[i], y[i], 1e-7, args + " at " + i);
            }
            Map<String, Object> written = LayerKinds.of("LeakyReLU", "test").toConfig(net.layers().get(0).spec());
            assertEquals(slope, ((Number) written.get("negative_slope")).doubleValue(), 1e-12, "written back as Keras 3's key");
            assertEquals(false, written.containsKey("alpha"));
        }
    }

    /** LDAM's cosine classifier: each logit is the cosine between the features and a class's weight column. */
    @Test
    void normedDenseGivesCosines() {
        InputShape in = new InputShape(2, 2, 3);
        ResolvedNetwork net = ResolvedNetwork.shapesOnly(LayerList.parse(List.of(Map.of("Flatten", Map.of()),
                Map.of("NormedDense", Map.of("units", 4)))), in);
        SplittableRandom r = new SplittableRandom(8);
        double[] x = random(N * 12, r);
        List<double[]> w = randomWeights(net, r);
        double[] y = forward64(net, x, in, w, false);
        for (int b = 0; b < N; b++) {
            for (int k = 0; k < 4; k++) {
                double dot = 0;
                double xx = 0;
                double ww = 0;
                for (int i = 0; i < 12; i++) {
                    dot += x[b * 12 + i] * w.get(0)[i * 4 + k];
                    xx += x[b * 12 + i] * x[b * 12 + i];
                    ww += w.get(0)[i * 4 + k] * w.get(0)[i * 4 + k];
                }
                assertEquals(dot / Math.sqrt(xx * ww), y[b * 4 + k], 1e-12);
            }
        }
    }

    /** Gradients of sum(output^2) with respect to each new trainable weight equal central differences. */
    @Test
    void newTrainableLayersGradientsMatchFiniteDifferences() {
        InputShape in = new InputShape(7, 6, 2);
        ResolvedNetwork net = ResolvedNetwork.shapesOnly(LayerList.parse(List.of(
                Map.of("ZeroPadding2D", Map.of("padding", 1)),
                Map.of("DepthwiseConv2D", Map.of("kernel_size", 3, "strides", 2, "depth_multiplier", 2, "activation", "hard_silu")),
                Map.of("SeparableConv2D", Map.of("filters", 3, "kernel_size", 3, "padding", "same", "activation", "relu6")),
                Map.of("Conv2D", Map.of("filters", 3, "kernel_size", 3, "groups", 3, "padding", "same")),
                Map.of("LayerNormalization", Map.of()),
                Map.of("LayerScale", Map.of("init_values", 0.5, "projection_dim", 3)),
                Map.of("Dense", Map.of("units", 2, "activation", "mish")),
                Map.of("GlobalAveragePooling2D", Map.of()),
                Map.of("NormedDense", Map.of("units", 3)))), in);
        SplittableRandom r = new SplittableRandom(9);
        double[] x = random(N * in.perImage(), r);
        List<double[]> w = randomWeights(net, r);
        List<double[]> grads = new ArrayList<>();
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var images = tf.constant(Shape.of(N, 7, 6, 2), DataBuffers.of(x, true, false));
            List<Operand<TFloat64>> ws = new ArrayList<>();
            for (int i = 0; i < w.size(); i++) {
                ws.add(tf.constant(Shape.of(net.weights().get(i).shape()), DataBuffers.of(w.get(i), true, false)));
            }
            var out = NetworkGraph.forward(tf, net, images, ws, true, 1);
            var loss = tf.reduceSum(tf.math.square(out), tf.constant(new int[] {0, 1}));
            var gr = tf.gradients(loss, ws);
            var runner = s.runner();
            for (int i = 0; i < ws.size(); i++) {
                runner.fetch(gr.dy(i));
            }
            try (var res = runner.run()) {
                for (int i = 0; i < ws.size(); i++) {
                    TFloat64 t = (TFloat64) res.get(i);
                    double[] v = new double[(int) t.shape().size()];
                    t.copyTo(DataBuffers.of(v, false, false));
                    grads.add(v);
                }
            }
        }
        for (int k = 0; k < w.size(); k++) {
            double[] p = w.get(k);
            for (int i = 0; i < p.length; i += Math.max(1, p.length / 5)) {
                double keep = p[i];
                double h = 1e-6;
                p[i] = keep + h;
                double up = sumSquares(forward64(net, x, in, w, true));
                p[i] = keep - h;
                double down = sumSquares(forward64(net, x, in, w, true));
                p[i] = keep;
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, grads.get(k)[i], 1e-5 * Math.max(1, Math.abs(numeric)),
                        net.weights().get(k).name() + "[" + i + "]");
            }
        }
    }

    private static double sumSquares(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d * d;
        }
        return s;
    }
}
