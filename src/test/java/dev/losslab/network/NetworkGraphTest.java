package dev.losslab.network;

import dev.losslab.network.layers.KerasVocabulary;
import dev.losslab.data.InputShape;
import dev.losslab.network.layers.Weight;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The one network builder against plain-Java float64 references layer by layer (both paddings, odd
 * sizes, strides, dilation), the notebook's CNN against the built-in graph, BatchNormalization's
 * training and inference behaviour and moving statistics, Dropout, and gradients by finite
 * differences.
 */
class NetworkGraphTest {
    static final int N = 2;

    /** Runs the network's float64 forward pass on {@code x} [N, H, W, C] with {@code weights}. */
    static double[] forward64(ResolvedNetwork net, double[] x, InputShape in, List<double[]> weights, boolean training) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var images = tf.constant(Shape.of(N, in.height(), in.width(), in.channels()), DataBuffers.of(x, true, false));
            List<Operand<TFloat64>> w = new ArrayList<>();
            List<Weight> ws = net.weights();
            for (int i = 0; i < ws.size(); i++) {
                w.add(tf.constant(Shape.of(ws.get(i).shape()), DataBuffers.of(weights.get(i), true, false)));
            }
            var out = NetworkGraph.forward(tf, net, images, w, training, 7);
            try (var r = s.runner().fetch(out).run()) {
                TFloat64 t = (TFloat64) r.get(0);
                double[] v = new double[(int) t.shape().size()];
                t.copyTo(DataBuffers.of(v, false, false));
                return v;
            }
        }
    }

    static double[] random(int n, SplittableRandom r) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        return v;
    }

    static List<double[]> randomWeights(ResolvedNetwork net, SplittableRandom r) {
        List<double[]> out = new ArrayList<>();
        for (var w : net.weights()) {
            double[] v = random((int) w.size(), r);
            if (w.role().equals("moving_variance") || w.role().equals("gamma")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = 0.5 + Math.abs(v[i]);
                }
            }
            out.add(v);
        }
        return out;
    }

    static ResolvedNetwork one(Map<String, Object> layer, InputShape in) {
        return ResolvedNetwork.shapesOnly(LayerList.parse(List.of(layer)), in);
    }

    private static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), what + " at " + i);
        }
    }

    @Test
    void convolutionsWithStridesDilationAndBothPaddings() {
        SplittableRandom r = new SplittableRandom(1);
        InputShape in = new InputShape(9, 7, 3);
        for (String pad : List.of("same", "valid")) {
            for (int[] sd : new int[][] {{1, 1}, {2, 1}, {1, 2}}) {
                var layer = Map.<String, Object>of("Conv2D", Map.of("filters", 4, "kernel_size", List.of(3, 2), "strides", sd[0],
                        "dilation_rate", sd[1], "padding", pad, "use_bias", true));
                ResolvedNetwork net = one(layer, in);
                double[] x = random(N * in.perImage(), r);
                List<double[]> w = randomWeights(net, r);
                int[] os = net.layers().get(0).outputShape();
                double[] expected = Reference.conv(x, N, in.height(), in.width(), in.channels(), w.get(0), 3, 2, 4, sd[0], sd[1], pad,
                        os[0], os[1]);
                for (int i = 0; i < expected.length; i++) {
                    expected[i] += w.get(1)[i % 4];
                }
                assertClose(expected, forward64(net, x, in, w, false), 1e-12, "conv " + pad + " stride " + sd[0] + " dilation " + sd[1]);
            }
        }
    }

    @Test
    void poolingDenseNormalisationActivationsAndMerges() {
        SplittableRandom r = new SplittableRandom(2);
        InputShape in = new InputShape(5, 7, 2);
        double[] x = random(N * in.perImage(), r);
        for (String pad : List.of("same", "valid")) {
            for (String kind : List.of("MaxPooling2D", "AveragePooling2D")) {
                ResolvedNetwork net = one(Map.of(kind, Map.of("pool_size", 2, "padding", pad)), in);
                int[] os = net.layers().get(0).outputShape();
                assertClose(Reference.pool(x, N, 5, 7, 2, 2, 2, pad, kind.startsWith("Max"), os[0], os[1]),
                        forward64(net, x, in, List.of(), false), 1e-12, kind + " " + pad);
            }
        }
        assertClose(Reference.global(x, N, 35, 2, false), forward64(one(Map.of("GlobalAveragePooling2D", Map.of()), in), x, in,
                List.of(), false), 1e-12, "global average");
        assertClose(Reference.global(x, N, 35, 2, true), forward64(one(Map.of("GlobalMaxPooling2D", Map.of()), in), x, in,
                List.of(), false), 1e-12, "global max");
        // BatchNormalization at inference: gamma (x - moving_mean) / sqrt(moving_var + 1e-3) + beta
        ResolvedNetwork bn = one(Map.of("BatchNormalization", Map.of()), in);
        List<double[]> bw = randomWeights(bn, r);
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = i % 2;
            expected[i] = bw.get(0)[c] * (x[i] - bw.get(2)[c]) / Math.sqrt(bw.get(3)[c] + 1e-3) + bw.get(1)[c];
        }
        // epsilon is a float32 constant (1e-3f) in the graph, so agreement is to ~1e-9, not 1e-12
        assertClose(expected, forward64(bn, x, in, bw, false), 1e-9, "batch norm inference");
        // training: the batch's own mean and biased variance per channel
        double[] train = forward64(bn, x, in, bw, true);
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            double sq = 0;
            int n = x.length / 2;
            for (int i = c; i < x.length; i += 2) {
                mean += x[i];
            }
            mean /= n;
            for (int i = c; i < x.length; i += 2) {
                sq += (x[i] - mean) * (x[i] - mean);
            }
            double var = sq / n;
            for (int i = c; i < x.length; i += 2) {
                assertEquals(bw.get(0)[c] * (x[i] - mean) / Math.sqrt(var + 1e-3) + bw.get(1)[c], train[i], 1e-9);
            }
        }
        // activations, ReLU with a slope, Rescaling, Dense
        for (String act : KerasVocabulary.ACTIVATIONS) {
            if (act.equals("softmax") || act.equals("swish")) {
                continue;
            }
            double[] y = forward64(one(Map.of("Activation", Map.of("activation", act)), in), x, in, List.of(), false);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Reference.activation(act, x[i]), y[i], 2e-7, act + " at " + x[i]);
            }
        }
        double[] leaky = forward64(one(Map.of("ReLU", Map.of("negative_slope", 0.1)), in), x, in, List.of(), false);
        double[] scaled = forward64(one(Map.of("Rescaling", Map.of("scale", 1.0 / 255, "offset", -1.0)), in), x, in, List.of(), false);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] > 0 ? x[i] : 0.1 * x[i], leaky[i], 1e-7);
            assertEquals(x[i] / 255 - 1, scaled[i], 1e-7);
        }
        InputShape flat = new InputShape(5, 7, 2);
        ResolvedNetwork dense = ResolvedNetwork.shapesOnly(LayerList.parse(List.of(Map.of("Flatten", Map.of()),
                Map.of("Dense", Map.of("units", 3)))), flat);
        List<double[]> dw = randomWeights(dense, r);
        double[] dy = forward64(dense, x, flat, dw, false);
        for (int b = 0; b < N; b++) {
            for (int u = 0; u < 3; u++) {
                double s = dw.get(1)[u];
                for (int i = 0; i < 70; i++) {
                    s += x[b * 70 + i] * dw.get(0)[i * 3 + u];
                }
                assertEquals(s, dy[b * 3 + u], 1e-12);
            }
        }
        // Add and Concatenate of two branches
        ResolvedNetwork merge = ResolvedNetwork.shapesOnly(LayerList.parse(List.of(
                Map.of("Rescaling", Map.of("name", "a", "scale", 2.0)),
                Map.of("Rescaling", Map.of("name", "b", "scale", 3.0, "inputs", List.of("input"))),
                Map.of("Add", Map.of("name", "sum", "inputs", List.of("a", "b"))),
                Map.of("Concatenate", Map.of("name", "cat", "inputs", List.of("sum", "a"))))), in);
        double[] m = forward64(merge, x, in, List.of(), false);
        for (int p = 0; p < x.length / 2; p++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(5 * x[p * 2 + c], m[p * 4 + c], 1e-12);
                assertEquals(2 * x[p * 2 + c], m[p * 4 + 2 + c], 1e-12);
            }
        }
    }

    @Test
    void theNotebookListIsTheBuiltInNetworkExactly() {
        SplittableRandom r = new SplittableRandom(3);
        for (ModelSpec.Padding pad : ModelSpec.Padding.values()) {
            for (int k : new int[] {2, 3}) {
                ModelSpec spec = new ModelSpec(pad);
                ResolvedNetwork net = spec.resolve(InputShape.FASHION_MNIST, k);
                List<Parameter> init = Initializers.initialValues(net, 42);
                List<Parameter> builtIn = CnnArchitecture.initialParameters(spec, k, 42);
                assertEquals(builtIn.size(), init.size());
                for (int i = 0; i < init.size(); i++) {
                    assertEquals(builtIn.get(i).name(), init.get(i).name());
                    assertTrue(java.util.Arrays.equals(builtIn.get(i).values(), init.get(i).values()), "same initial values");
                }
                double[] x = random(N * 784, r);
                try (Graph g = new Graph(); Session s = new Session(g)) {
                    Ops tf = Ops.create(g);
                    var images = tf.constant(Shape.of(N, 28, 28, 1), DataBuffers.of(x, true, false));
                    List<Operand<TFloat64>> w = new ArrayList<>();
                    for (Parameter p : init) {
                        double[] d = new double[p.values().length];
                        for (int i = 0; i < d.length; i++) {
                            d[i] = p.values()[i] + 0.01 * r.nextDouble();
                        }
                        w.add(tf.constant(Shape.of(p.shape()), DataBuffers.of(d, true, false)));
                    }
                    var ours = NetworkGraph.forward(tf, net, images, w, true, 1);
                    var theirs = CnnGraph.forward(tf, spec, images, w);
                    try (var out = s.runner().fetch(ours).fetch(theirs).run()) {
                        TFloat64 a = (TFloat64) out.get(0);
                        TFloat64 b = (TFloat64) out.get(1);
                        for (long i = 0; i < a.shape().size(0); i++) {
                            for (long j = 0; j < a.shape().size(1); j++) {
                                assertEquals(b.getDouble(i, j), a.getDouble(i, j), 0.0, "identical ops, identical numbers");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void batchNormUpdatesItsMovingStatisticsOnlyInTrainingAndDropoutOnlyDropsThen() {
        InputShape in = new InputShape(4, 4, 2);
        ResolvedNetwork net = ResolvedNetwork.shapesOnly(LayerList.parse(List.of(
                Map.of("BatchNormalization", Map.of("momentum", 0.9)), Map.of("Dropout", Map.of("rate", 0.5)))), in);
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[N * in.perImage()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (3 + r.nextDouble());
        }
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            NetworkGraph model = NetworkGraph.create(tf, net, Initializers.initialValues(net, 1), 9);
            var images = tf.constant(Shape.of(N, 4, 4, 2), DataBuffers.of(x, true, false));
            var train = model.trainingLogits(tf, images, false);
            var infer = model.logits(tf, images, false);
            assertEquals(4, model.updates().size() * 2, "two updates per BatchNormalization layer");
            s.initialize();
            model.initialize(s);
            double mean0 = 0;
            for (int i = 0; i < x.length; i += 2) {
                mean0 += x[i];
            }
            mean0 /= x.length / 2.0;
            float[] before = fetch(s, infer);
            var runner = s.runner().fetch(train);
            model.updates().forEach(runner::addTarget);
            float[] t1;
            try (var out = runner.run()) {
                t1 = values((TFloat32) out.get(0));
            }
            float[] mm = fetch(s, model.variables().get(2));
            assertEquals(0.1 * mean0, mm[0], 1e-5, "moving = 0.9 * 0 + 0.1 * batch mean");
            float[] mv = fetch(s, model.variables().get(3));
            assertTrue(mv[0] < 1 && mv[0] > 0.9, "moving variance moved from 1 towards the small batch variance: " + mv[0]);
            // inference: no dropout, and it changed only because the moving statistics moved
            float[] after = fetch(s, infer);
            assertNotEquals(before[0], after[0]);
            assertEquals(after[0], fetch(s, infer)[0], 0f, "inference is deterministic");
            int zeros = 0;
            for (float v : t1) {
                zeros += v == 0f ? 1 : 0;
            }
            assertTrue(zeros > t1.length / 5 && zeros < t1.length * 4 / 5, "about half dropped in training: " + zeros);
            float[] t2 = fetch(s, train);
            assertTrue(!java.util.Arrays.equals(t1, t2), "a new mask every step");
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        InputShape in = new InputShape(6, 5, 2);
        ResolvedNetwork net = ResolvedNetwork.shapesOnly(LayerList.parse(List.of(
                Map.of("Conv2D", Map.of("filters", 3, "kernel_size", 3, "strides", 2, "padding", "same", "activation", "tanh")),
                Map.of("BatchNormalization", Map.of()),
                Map.of("AveragePooling2D", Map.of("pool_size", 2, "padding", "same")),
                Map.of("Flatten", Map.of()),
                Map.of("Dense", Map.of("units", 2, "activation", "gelu")))), in);
        SplittableRandom r = new SplittableRandom(5);
        double[] x = random(N * in.perImage(), r);
        List<double[]> w = randomWeights(net, r);
        // analytic gradient of sum(output^2) with respect to the conv kernel and the BN gamma
        double[][] grads = new double[2][];
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var images = tf.constant(Shape.of(N, 6, 5, 2), DataBuffers.of(x, true, false));
            List<Operand<TFloat64>> ws = new ArrayList<>();
            for (int i = 0; i < w.size(); i++) {
                ws.add(tf.constant(Shape.of(net.weights().get(i).shape()), DataBuffers.of(w.get(i), true, false)));
            }
            var out = NetworkGraph.forward(tf, net, images, ws, true, 1);
            var loss = tf.reduceSum(tf.math.square(out), tf.constant(new int[] {0, 1}));
            var gr = tf.gradients(loss, List.of(ws.get(0), ws.get(2)));
            try (var res = s.runner().fetch(gr.dy(0)).fetch(gr.dy(1)).run()) {
                for (int i = 0; i < 2; i++) {
                    TFloat64 t = (TFloat64) res.get(i);
                    grads[i] = new double[(int) t.shape().size()];
                    t.copyTo(DataBuffers.of(grads[i], false, false));
                }
            }
        }
        int[] which = {0, 2};
        for (int k = 0; k < 2; k++) {
            double[] p = w.get(which[k]);
            for (int i = 0; i < p.length; i += Math.max(1, p.length / 7)) {
                double keep = p[i];
                double h = 1e-6;
                p[i] = keep + h;
                double up = sumSquares(forward64(net, x, in, w, true));
                p[i] = keep - h;
                double down = sumSquares(forward64(net, x, in, w, true));
                p[i] = keep;
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, grads[k][i], 1e-5 * Math.max(1, Math.abs(numeric)), "weight " + which[k] + "[" + i + "]");
            }
        }
    }

    @Test
    void kernelRegularizersAddKerasTerms() {
        InputShape in = new InputShape(4, 4, 1);
        ResolvedNetwork net = ResolvedNetwork.shapesOnly(LayerList.parse(List.of(
                Map.of("Conv2D", Map.of("filters", 2, "kernel_size", 2, "kernel_regularizer",
                        Map.of("class_name", "L1L2", "config", Map.of("l1", 0.01, "l2", 0.1)))),
                Map.of("Flatten", Map.of()),
                Map.of("Dense", Map.of("units", 3, "kernel_regularizer", "l2")))), in);
        List<Parameter> init = Initializers.initialValues(net, 3);
        double expected = 0;
        for (float v : init.get(0).values()) {
            expected += 0.01 * Math.abs(v) + 0.1 * v * v;
        }
        for (float v : init.get(2).values()) {
            expected += 0.01 * v * v; // Keras' "l2" string means L2(0.01)
        }
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            NetworkGraph model = NetworkGraph.create(tf, net, init, 1);
            var reg = model.regularization(tf);
            s.initialize();
            model.initialize(s);
            assertEquals(expected, fetch(s, reg)[0], 1e-5 * expected);
        }
    }

    @Test
    void initializersDrawKerasDistributionsFromOneSeededStream() {
        InputShape in = new InputShape(8, 8, 16);
        ResolvedNetwork net = ResolvedNetwork.shapesOnly(LayerList.parse(List.of(
                Map.of("Conv2D", Map.of("filters", 32, "kernel_size", 3, "kernel_initializer", "he_normal")),
                Map.of("Conv2D", Map.of("filters", 32, "kernel_size", 3, "kernel_initializer",
                        Map.of("class_name", "VarianceScaling", "config", Map.of("scale", 3.0, "mode", "fan_out",
                                "distribution", "uniform")))),
                Map.of("Conv2D", Map.of("filters", 32, "kernel_size", 3, "kernel_initializer", "lecun_normal",
                        "bias_initializer", Map.of("class_name", "Constant", "config", Map.of("value", 0.5)))))), in);
        List<Parameter> a = Initializers.initialValues(net, 11);
        List<Parameter> b = Initializers.initialValues(net, 11);
        for (int i = 0; i < a.size(); i++) {
            assertTrue(java.util.Arrays.equals(a.get(i).values(), b.get(i).values()), "same seed, same start");
        }
        // He normal: standard deviation sqrt(2 / fan_in), fan_in = 3 * 3 * 16
        assertEquals(Math.sqrt(2.0 / 144), std(a.get(0).values()), 0.05 * Math.sqrt(2.0 / 144));
        // VarianceScaling(3, fan_out, uniform): U(-l, l), l = sqrt(3 * 3 / (3 * 3 * 32))
        double limit = Math.sqrt(9.0 / 288);
        for (float v : a.get(2).values()) {
            assertTrue(Math.abs(v) <= limit + 1e-7);
        }
        assertEquals(limit / Math.sqrt(3), std(a.get(2).values()), 0.05 * limit);
        assertEquals(Math.sqrt(1.0 / 288), std(a.get(4).values()), 0.05 * Math.sqrt(1.0 / 288));
        assertEquals(0.5f, a.get(5).values()[0]);
        // two same-shaped kernels do not start equal
        assertTrue(!java.util.Arrays.equals(a.get(2).values(), a.get(4).values()));
    }

    private static double std(float[] v) {
        double m = 0;
        for (float x : v) {
            m += x;
        }
        m /= v.length;
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    private static double sumSquares(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d * d;
        }
        return s;
    }

    static float[] fetch(Session s, Operand<TFloat32> op) {
        try (var r = s.runner().fetch(op).run()) {
            return values((TFloat32) r.get(0));
        }
    }

    static float[] values(TFloat32 t) {
        float[] v = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(v, false, false));
        return v;
    }
}
