package dev.losslab.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import dev.losslab.data.InputShape;
import dev.losslab.network.layers.BatchNormalizationLayer;
import dev.losslab.network.layers.LayerKinds;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.data.Images;
import dev.losslab.data.NpyArray;
import dev.losslab.data.NpzFile;
import dev.losslab.kerasfile.KerasModelFile;
import dev.losslab.loss.LossRegistry;
import dev.losslab.recipe.Recipe;
import dev.losslab.testing.TestData;
import dev.losslab.train.Device;
import dev.losslab.train.OneDnn;
import dev.losslab.train.Trainer;
import dev.losslab.train.TrainingGraph;
import dev.losslab.train.TrainingOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import static dev.losslab.network.NetworkGraphTest.fetch;
import static dev.losslab.network.NetworkGraphTest.values;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The model's {@code "batchNormalization": "fused"} (TF's FusedBatchNormV3 and its gradient) against the composed ops,
 * Keras 3's arithmetic, on one float32 network with the same weights and images: the training pass's outputs, the
 * gradients of every trainable weight, the moving statistics after one update (Keras' biased variance, not the
 * kernel's Bessel-corrected one) and the inference pass agree to float32 rounding; a frozen layer uses its moving
 * statistics; the choice never reaches a Keras config.
 */
class FusedBatchNormalizationTest {
    private static final int N = 8;
    private static final InputShape IN = new InputShape(6, 5, 2);

    private static ModelSpec model(String batchNormalization, boolean frozen) {
        List<Map<String, Object>> layers = List.of(
                Map.of("Conv2D", Map.of("filters", 3, "kernel_size", 3, "padding", "same", "activation", "tanh")),
                Map.of("BatchNormalization", frozen ? Map.of("momentum", 0.9, "trainable", false) : Map.of("momentum", 0.9)),
                Map.of("GlobalAveragePooling2D", Map.of()),
                Map.of("Dense", Map.of("units", 3)));
        return new ModelSpec(null, layers, null, null, null, null, null, null, batchNormalization);
    }

    private static List<float[]> pass(ModelSpec spec, float[] x) {
        return pass(spec, x, false);
    }

    /** Training outputs (bf16: in bfloat16), gradients, moving statistics after one step, inference outputs. */
    private static List<float[]> pass(ModelSpec spec, float[] x, boolean bf16) {
        ResolvedNetwork net = spec.resolve(IN, 3);
        List<float[]> out = new ArrayList<>();
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            NetworkGraph model = NetworkGraph.create(tf, net, Initializers.initialValues(net, 3), 9);
            var images = tf.constant(Shape.of(N, 6, 5, 2), DataBuffers.of(x, true, false));
            var train = model.trainingLogits(tf, images, bf16);
            var infer = model.logits(tf, images, false);
            var loss = tf.reduceSum(tf.math.square(train), tf.constant(new int[] {0, 1}));
            List<Operand<TFloat32>> trainable = new ArrayList<>(model.trainable());
            var grads = tf.gradients(loss, trainable);
            s.initialize();
            model.initialize(s);
            var runner = s.runner().fetch(train);
            for (int i = 0; i < trainable.size(); i++) {
                runner.fetch(grads.dy(i));
            }
            model.updates().forEach(runner::addTarget);
            try (var r = runner.run()) {
                for (int i = 0; i < r.size(); i++) {
                    out.add(values((TFloat32) r.get(i)));
                }
            }
            for (var v : model.variables()) {
                out.add(fetch(s, v));
            }
            out.add(fetch(s, infer));
        }
        return out;
    }

    @Test
    void fusedAgreesWithTheComposedOpsToFloat32Rounding() {
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[N * IN.perImage()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 0.5);
        }
        for (boolean frozen : new boolean[] {false, true}) {
            List<float[]> composed = pass(model("composed", frozen), x);
            List<float[]> fused = pass(model("fused", frozen), x);
            assertEquals(composed.size(), fused.size());
            for (int k = 0; k < composed.size(); k++) {
                float[] a = composed.get(k);
                float[] b = fused.get(k);
                assertEquals(a.length, b.length);
                double gap = scaledGap(a, b);
                assertTrue(gap <= 2e-5, (frozen ? "frozen " : "") + "output " + k + " differs by " + gap);
            }
        }
    }

    /** max_i |a_i - b_i| / max(1, max_i |a_i|): a difference relative to the reference's scale. */
    private static double scaledGap(float[] a, float[] b) {
        double scale = 0;
        for (float v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, scale)); // NaN stays NaN: fails any bound
        }
        return worst;
    }

    /** The op types of a training and an inference pass of {@code spec}'s network. */
    private static java.util.Set<String> opTypes(ModelSpec spec) {
        java.util.Set<String> types = new java.util.HashSet<>();
        ops(spec, false).forEach(o -> types.add(o.substring(0, o.indexOf(':'))));
        return types;
    }

    /**
     * "type:output type" of every op of a training pass (bf16: in bfloat16) with its gradients, and of an inference
     * pass unless bf16 (that one is float32 whatever the precision).
     */
    private static List<String> ops(ModelSpec spec, boolean bf16) {
        ResolvedNetwork net = spec.resolve(IN, 3);
        List<String> ops = new ArrayList<>();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            NetworkGraph model = NetworkGraph.create(tf, net, Initializers.initialValues(net, 3), 9);
            var images = tf.placeholder(TFloat32.class);
            var loss = tf.reduceSum(model.trainingLogits(tf, images, bf16), tf.constant(new int[] {0, 1}));
            tf.gradients(loss, new ArrayList<>(model.trainable()));
            if (!bf16) {
                model.logits(tf, images, false);
            }
            g.operations().forEachRemaining(o -> ops.add(o.type() + ":" + (o.numOutputs() > 0 ? o.output(0).dataType() : "")));
        }
        return ops;
    }

    @Test
    void fusedRunsTensorFlowsFusedKernelsAndComposedDoesNot() {
        var fused = opTypes(model("fused", false));
        assertTrue(fused.contains("FusedBatchNormV3") && fused.contains("FusedBatchNormGradV3"), fused.toString());
        var composed = opTypes(model("composed", false));
        assertFalse(composed.stream().anyMatch(t -> t.startsWith("FusedBatchNorm")), composed.toString());
    }

    /**
     * {@code --precision bf16} with BatchNormalization (Keras 3 under a mixed policy): the layer's input is cast to
     * float32, it normalises in float32 on the float32 weights (composed or fused), moves the float32 statistics, and
     * its output goes back to bfloat16; outputs, gradients and moved statistics stay within bfloat16's rounding of
     * float32's (8 significant bits; the convolution's weight gradients, summed in bfloat16, drift most: 2-5%).
     */
    @Test
    void bf16PassNormalisesInFloat32AndMovesTheStatistics() {
        SplittableRandom r = new SplittableRandom(9);
        float[] x = new float[N * IN.perImage()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 0.5);
        }
        for (String kind : List.of("composed", "fused")) {
            List<float[]> fp32 = pass(model(kind, false), x);
            List<float[]> bf16 = pass(model(kind, false), x, true);
            assertEquals(fp32.size(), bf16.size());
            boolean differ = false;
            for (int k = 0; k < fp32.size(); k++) {
                float[] a = fp32.get(k);
                float[] b = bf16.get(k);
                double worst = scaledGap(a, b);
                for (int i = 0; i < a.length; i++) {
                    differ |= a[i] != b[i];
                }
                // measured: logits 1e-3, the convolution's gradients 0.02-0.05 (bf16 sums), moved statistics 3e-5
                assertTrue(worst <= 0.1, kind + ": output " + k + " differs from fp32 by " + worst);
            }
            assertTrue(differ, kind + ": the bf16 pass gave fp32's numbers bit for bit (not in bf16?)");
            // the statistics moved: mean away from 0, variance away from 1 (variables 5 and 6 after 1 + 6 fetches)
            float[] mean = bf16.get(1 + 6 + 4);
            float[] variance = bf16.get(1 + 6 + 5);
            for (int c = 0; c < 3; c++) {
                assertTrue(mean[c] != 0f && variance[c] != 1f, kind + ": channel " + c + " did not move");
            }
        }
        // the normalisation itself runs on float32 tensors: every BatchNormalization op's output is float32
        for (String kind : List.of("composed", "fused")) {
            List<String> bn = ops(model(kind, false), true).stream()
                    .filter(o -> o.startsWith("FusedBatchNorm") || o.startsWith("Rsqrt:")).toList();
            assertFalse(bn.isEmpty(), kind);
            assertTrue(bn.stream().allMatch(t -> t.endsWith(":DT_FLOAT")), kind + ": " + bn);
        }
    }

    /**
     * The SavedModel of a fused model means what the composed one means: with the same weights (moving statistics
     * away from 0 and 1), {@code serving_default} gives the same probabilities within float32 rounding and
     * {@code decide} (a relative-threshold rule) the same classes, while the fused model's graph runs
     * FusedBatchNormV3.
     */
    @Test
    void aFusedModelsSavedModelAndDecideMeanWhatTheComposedOnesDo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        ResolvedNetwork net = model("composed", false).resolve(IN, 3);
        List<dev.losslab.network.Parameter> params = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(11);
        for (var p : Initializers.initialValues(net, 3)) {
            float[] v = p.values().clone();
            if (p.name().contains("moving_mean") || p.name().contains("beta")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextDouble() - 0.5);
                }
            } else if (p.name().contains("moving_variance") || p.name().contains("gamma")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.2 + r.nextDouble());
                }
            }
            params.add(new dev.losslab.network.Parameter(p.name(), p.shape(), v));
        }
        var rule = new dev.losslab.tune.RelativeThresholdRule(new double[] {0.9, 1.2, 1.0});
        int n = 64;
        float[] x = new float[n * IN.perImage()];
        for (int img = 0; img < n; img++) {
            double scale = 6 * r.nextDouble() - 3; // images far apart, so the rule picks different classes
            double shift = 2 * r.nextDouble() - 1;
            for (int i = 0; i < IN.perImage(); i++) {
                x[img * IN.perImage() + i] = (float) (shift + scale * r.nextDouble());
            }
        }
        float[][] probabilities = new float[2][];
        long[][] classes = new long[2][];
        List<String> kinds = List.of("composed", "fused");
        for (int k = 0; k < 2; k++) {
            ModelSpec spec = model(kinds.get(k), false);
            var out = dir.resolve(kinds.get(k));
            var meta = new dev.losslab.savedmodel.ModelMetadata(dev.losslab.savedmodel.ModelMetadata.FORMAT,
                    new int[] {0, 1, 2}, List.of("a", "b", "c"), "unit", "probabilities", spec, "crossentropy", rule);
            dev.losslab.train.SavedModelExport.export(params, spec.resolve(IN, 3), out, meta);
            try (var b = org.tensorflow.SavedModelBundle.load(out.toString(), "serve");
                 TFloat32 t = TFloat32.tensorOf(Shape.of(n, 6, 5, 2), DataBuffers.of(x, true, false));
                 var res = b.function(dev.losslab.train.SavedModelExport.DECIDE)
                         .call(Map.of(dev.losslab.train.SavedModelExport.INPUT, t))) {
                probabilities[k] = values((TFloat32) res.get(dev.losslab.train.SavedModelExport.OUTPUT).orElseThrow());
                var ids = (org.tensorflow.types.TInt64) res.get(dev.losslab.train.SavedModelExport.CLASS_INDEX).orElseThrow();
                classes[k] = new long[n];
                for (int i = 0; i < n; i++) {
                    classes[k][i] = ids.getLong(i);
                }
                java.util.Set<String> types = new java.util.HashSet<>();
                b.graph().operations().forEachRemaining(o -> types.add(o.type()));
                assertEquals(k == 1, types.contains("FusedBatchNormV3"), kinds.get(k) + ": " + types);
            }
        }
        for (int i = 0; i < probabilities[0].length; i++) {
            assertEquals(probabilities[0][i], probabilities[1][i], 1e-6, "probability " + i);
        }
        assertTrue(java.util.Arrays.equals(classes[0], classes[1]), "decide's classes");
        assertTrue(java.util.Arrays.stream(classes[0]).distinct().count() > 1, "a rule that picks more than one class");
    }

    @Test
    void theMovingVarianceIsKerasBiasedOne() {
        // one channel, constant-free batch: with momentum 0.9 the moving variance after one step is 0.9 + 0.1 var_biased
        SplittableRandom r = new SplittableRandom(8);
        float[] x = new float[N * IN.perImage()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        List<float[]> fused = pass(model("fused", false), x);
        List<float[]> composed = pass(model("composed", false), x);
        // weights: conv kernel, conv bias, gamma, beta, moving mean, moving variance, dense kernel, dense bias; the
        // moving variance is the 6th variable after the training outputs and the 6 trainable gradients
        int movingVariance = 1 + 6 + 5;
        float[] f = fused.get(movingVariance);
        float[] c = composed.get(movingVariance);
        assertEquals(3, f.length);
        for (int i = 0; i < 3; i++) {
            assertTrue(f[i] < 1f, "moved from 1 towards the batch variance: " + f[i]);
            assertEquals(c[i], f[i], 1e-6, "channel " + i);
        }
    }

    @Test
    void theChoiceIsCheckedAndNeverWrittenToAKerasConfig() {
        assertTrue(assertThrows(LosslabException.class, () -> model("fast", false)).getMessage()
                .contains("model.batchNormalization: 'fast' is not one of [composed, fused]"));
        var spec = model("fused", false).network(3);
        var bn = spec.layers().stream().filter(l -> l.className().equals("BatchNormalization")).findFirst().orElseThrow();
        assertEquals(true, bn.config().get(BatchNormalizationLayer.FUSED));
        var written = LayerKinds.of("BatchNormalization", "t").toConfig(bn);
        assertFalse(written.containsKey(BatchNormalizationLayer.FUSED), written.toString());
        assertFalse(model("composed", false).network(3).layers().get(1).config().containsKey(BatchNormalizationLayer.FUSED));
    }

    /**
     * The fused kernel at inference on Keras' keras.applications files: MobileNetV2 (alpha 0.35, 17 BatchNormalization
     * layers nested in a classifier) gives Keras' probabilities, and the transfer-learning guide's frozen base with its
     * head Keras' logits, within 1e-5.
     */
    @Test
    void fusedInferenceGivesKerasOutputsOnKerasApplicationsFiles() throws Exception {
        var mobilenet = KerasFilesTest.file("mobilenetv2-035-32.keras");
        ResolvedNetwork net = new ModelSpec(null, null, mobilenet.toString(), null, null, null, null, null, "fused")
                .resolve(new InputShape(32, 32, 3), 4);
        long marked = net.layers().stream().filter(l -> Boolean.TRUE.equals(l.spec().config().get(BatchNormalizationLayer.FUSED)))
                .count();
        assertTrue(marked > 10, "BatchNormalization layers on the fused kernel: " + marked);
        double d = KerasFilesTest.maxAbs(KerasFilesTest.npy("mobilenetv2-035-32.probs.npy"),
                KerasFilesTest.predict(net, KerasModelFile.read(mobilenet).parameters(net), KerasFilesTest.npy("x.npy"), 4));
        assertTrue(d <= 1e-5, "fused MobileNetV2 against Keras' probabilities: " + d);
        var frozen = KerasFilesTest.file("frozen-base-head.keras");
        ResolvedNetwork head = new ModelSpec(null, null, frozen.toString(), null, null, null, null, null, "fused")
                .resolve(new InputShape(32, 32, 3), 3);
        double h = KerasFilesTest.maxAbs(KerasFilesTest.npy("frozen-base-head.probs.npy"),
                KerasApplicationsTest.logits(head, KerasModelFile.read(frozen).parameters(head), KerasFilesTest.npy("x.npy"), 3));
        assertTrue(h <= 1e-5, "fused frozen base and head against Keras' logits: " + h);
    }

    /**
     * Against Keras' own files: the fused kernel at inference gives Keras' probabilities within 1e-5; after Keras'
     * four-epoch trainings from {@code train-init.keras} too on oneDNN's fused kernels (TF_ENABLE_ONEDNN_OPTS=1, what
     * tools/losslab runs by default; the pom's {@code onednn} execution runs this class so), and within 1e-4 on TF's
     * Eigen kernels (the composed default holds 1e-5 on both, {@link KerasFilesTest}); the differences are printed.
     */
    @Test
    void fusedAgainstKerasOwnOutputs() throws Exception {
        var file = KerasFilesTest.file("train-init.keras");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(file), "Keras' reference files");
        ModelSpec spec = new ModelSpec(null, null, file.toString(), null, null, null, null, null, "fused");
        ResolvedNetwork net = spec.resolve(new InputShape(32, 32, 3), 3);
        var weights = KerasModelFile.read(file).parameters(net);
        double inference = KerasFilesTest.maxAbs(KerasFilesTest.npy("train-init.probs.npy"),
                KerasFilesTest.predict(net, weights, KerasFilesTest.npy("x.npy")));
        assertTrue(inference <= 1e-5, "fused inference against Keras' probabilities: " + inference);
        var training = new ObjectMapper().readTree(KerasFilesTest.file("keras-files.json").toFile()).get("training");
        boolean oneDnn = OneDnn.state().startsWith("on");
        Map<String, NpyArray> data = NpzFile.read(KerasFilesTest.file("train-data.npz"));
        Images train = new Images(data.get("x_train").pixelValues(), data.get("y_train").labels(), 3, 32, 32, 3);
        for (var it = training.fields(); it.hasNext(); ) {
            var e = it.next();
            var t = e.getValue();
            Recipe recipe = Recipe.parse(null, t.get("optimizer"), null, null, null, t.get("epochs").asInt(), false, 255);
            TrainingOptions options = new TrainingOptions(t.get("epochs").asInt(), t.get("batch_size").asInt(), 1e-3, 1,
                    Device.CPU, 1, 0, false, null, recipe);
            try (TrainingGraph graph = new TrainingGraph(spec, net, weights, LossRegistry.create("crossentropy", Map.of()),
                    options, train.size())) {
                new Trainer(options, TestData.quiet()).fit(graph, train, train.subset(new int[0]));
                double d = KerasFilesTest.maxAbs(KerasFilesTest.npy("train-" + e.getKey() + ".probs.npy"),
                        graph.probabilities(train, 8));
                System.out.printf("fused BatchNormalization, %s: max abs difference to Keras' probabilities %.3g%n",
                        e.getKey(), d);
                // oneDNN's fused kernels (tools/losslab's default): 1.3e-6 SGD, 1.9e-6 Adam; TF's Eigen ones: 7.3e-6, 3.9e-5
                double bound = oneDnn ? 1e-5 : 1e-4;
                assertTrue(d <= bound, e.getKey() + ": fused, after training, against Keras' probabilities (oneDNN "
                        + OneDnn.state() + "): " + d);
            }
        }
    }
}
