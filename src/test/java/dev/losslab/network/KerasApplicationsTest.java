package dev.losslab.network;

import dev.losslab.kerasfile.KerasJson;
import dev.losslab.kerasfile.KerasModelFile;
import dev.losslab.data.InputShape;
import static dev.losslab.network.KerasFilesTest.file;
import static dev.losslab.network.KerasFilesTest.maxAbs;
import static dev.losslab.network.KerasFilesTest.npy;
import static dev.losslab.network.KerasFilesTest.predict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layers keras.applications networks are made of, against files Keras 3.15.1 wrote itself
 * ({@code ../shared/reference/keras-files/}): the layer zoo (Normalization, ZeroPadding2D, Cropping2D, strided
 * Conv2D without bias, ReLU max_value / negative_slope, DepthwiseConv2D, squeeze-excite with hard_sigmoid and
 * Multiply, SeparableConv2D, LayerNormalization, Dropout noise_shape, Reshape, BatchNormalization on a Dense
 * output, swish) gives Keras' parameter counts and Keras' probabilities on {@code x.npy} within 1e-5.
 */
class KerasApplicationsTest {

    static void assertCounts(String name, ResolvedNetwork net) throws IOException {
        JsonNode c = KerasFilesTest.JSON.readTree(file("keras-files.json").toFile()).at("/counts/" + name);
        assertEquals(c.get("trainable").asLong(), net.trainableParams(), name + " trainable");
        assertEquals(c.get("non_trainable").asLong(), net.nonTrainableParams(), name + " non-trainable");
        assertEquals(c.get("total").asLong(), net.trainableParams() + net.nonTrainableParams(), name + " total");
    }

    @Test
    void theLayerZooGivesKerasCountsAndProbabilities() throws IOException {
        KerasModelFile f = KerasModelFile.read(file("layer-zoo.keras"));
        ResolvedNetwork net = ResolvedNetwork.resolve(f.network(), new InputShape(32, 32, 3), 3);
        assertCounts("layer-zoo", net);
        // Keras' "Connected to" column for a functional model: the squeeze-excite product takes the map and the gate
        String multiply = net.summary().lines().filter(l -> l.startsWith(" multiply (Multiply)")).findFirst().orElseThrow();
        assertTrue(multiply.endsWith("re_lu_1[0][0], conv2d_1[0][0]"), multiply);
        List<Parameter> w = f.parameters(net);
        double d = maxAbs(npy("layer-zoo.probs.npy"), predict(net, w, npy("x.npy"), 3));
        assertTrue(d <= 1e-5, "max abs difference to Keras' probabilities: " + d);
    }

    @Test
    void aKerasApplicationsNetworkNestedInAClassifierGivesKerasProbabilities() throws IOException {
        KerasModelFile f = KerasModelFile.read(file("mobilenetv2-035-32.keras"));
        ResolvedNetwork net = ResolvedNetwork.resolve(f.network(), new InputShape(32, 32, 3), 4);
        assertCounts("mobilenetv2-035-32", net);
        double d = maxAbs(npy("mobilenetv2-035-32.probs.npy"), predict(net, f.parameters(net), npy("x.npy"), 4));
        assertTrue(d <= 1e-5, "max abs difference to Keras' probabilities: " + d);
        ResolvedNetwork notop = ResolvedNetwork.shapesOnly(KerasModelFile.read(file("mobilenetv2-035-32-notop.keras")).network(),
                new InputShape(32, 32, 3));
        assertCounts("mobilenetv2-035-32-notop", notop);
    }

    @Test
    void theTransferLearningGuidesFrozenBaseGivesKerasOutputs() throws IOException {
        KerasModelFile f = KerasModelFile.read(file("frozen-base-head.keras"));
        ResolvedNetwork net = ResolvedNetwork.resolve(f.network(), new InputShape(32, 32, 3), 3);
        assertCounts("frozen-base-head", net);
        double d = maxAbs(npy("frozen-base-head.probs.npy"), logits(net, f.parameters(net), npy("x.npy"), 3));
        assertTrue(d <= 1e-5, "max abs difference to Keras' outputs (logits): " + d);
    }

    /** The inference pass's logits (a model without a final softmax outputs them). */
    static float[] logits(ResolvedNetwork net, List<Parameter> weights, float[] x, int k) {
        try (org.tensorflow.Graph g = new org.tensorflow.Graph(); org.tensorflow.Session s = new org.tensorflow.Session(g)) {
            org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
            NetworkGraph model = NetworkGraph.create(tf, net, weights, 1);
            var in = tf.placeholder(org.tensorflow.types.TFloat32.class,
                    org.tensorflow.op.core.Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 32, 32, 3)));
            var out = model.logits(tf, in, false);
            s.initialize();
            model.initialize(s);
            try (var xt = org.tensorflow.types.TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(8, 32, 32, 3),
                    org.tensorflow.ndarray.buffer.DataBuffers.of(x, true, false));
                 var r = s.runner().feed(in, xt).fetch(out).run()) {
                float[] o = new float[8 * k];
                ((org.tensorflow.types.TFloat32) r.get(0)).copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(o, false, false));
                return o;
            }
        }
    }

    /** Keras' legacy HDF5 files (model_config + model_weights, weight_names order): the same outputs as the .keras. */
    @Test
    void legacyH5FilesGiveTheSameOutputs() throws IOException {
        for (String name : List.of("layer-zoo", "mobilenetv2-035-32", "frozen-base-head")) {
            KerasModelFile f = KerasModelFile.read(file(name + ".h5"));
            int k = name.startsWith("mobilenet") ? 4 : 3;
            ResolvedNetwork net = ResolvedNetwork.resolve(f.network(), new InputShape(32, 32, 3), k);
            assertCounts(name, net);
            float[] got = name.equals("frozen-base-head") ? logits(net, f.parameters(net), npy("x.npy"), k)
                    : predict(net, f.parameters(net), npy("x.npy"), k);
            double d = maxAbs(npy(name + ".probs.npy"), got);
            assertTrue(d <= 1e-5, name + ".h5: max abs difference to Keras' outputs: " + d);
        }
    }

    /**
     * A network as JSON with its weights in a separate file ({@code "model": {"keras": "m.json", "weights": "w.h5"}}):
     * the legacy .h5 and the .keras archive's model.weights.h5 both serve as weights-only files.
     */
    @Test
    void aJsonWithAWeightsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path json = dir.resolve("zoo.json");
        java.nio.file.Path weights = dir.resolve("zoo.weights.h5");
        try (var zip = new java.util.zip.ZipFile(file("layer-zoo.keras").toFile())) {
            java.nio.file.Files.copy(zip.getInputStream(zip.getEntry("config.json")), json);
            java.nio.file.Files.copy(zip.getInputStream(zip.getEntry("model.weights.h5")), weights);
        }
        for (java.nio.file.Path w : List.of(weights, file("layer-zoo.h5"))) {
            KerasModelFile f = KerasModelFile.read(json, w);
            ResolvedNetwork net = ResolvedNetwork.resolve(f.network(), new InputShape(32, 32, 3), 3);
            double d = maxAbs(npy("layer-zoo.probs.npy"), predict(net, f.parameters(net), npy("x.npy"), 3));
            assertTrue(d <= 1e-5, w + ": max abs difference to Keras' probabilities: " + d);
        }
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.losslab.LosslabException.class,
                () -> KerasModelFile.read(json, json));
        assertTrue(e.getMessage().contains("not a readable HDF5 file"), e.getMessage());
        java.nio.file.Path truncated = dir.resolve("truncated.h5");
        byte[] all = java.nio.file.Files.readAllBytes(file("layer-zoo.h5"));
        java.nio.file.Files.write(truncated, java.util.Arrays.copyOf(all, all.length / 2));
        e = org.junit.jupiter.api.Assertions.assertThrows(dev.losslab.LosslabException.class, () -> {
            KerasModelFile f = KerasModelFile.read(truncated);
            f.parameters(ResolvedNetwork.resolve(f.network(), new InputShape(32, 32, 3), 3));
        });
        assertTrue(e.getMessage().startsWith(truncated.toString()) && !e.getMessage().contains("\n"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(dev.losslab.LosslabException.class,
                () -> KerasModelFile.read(json, file("mobilenetv2-035-32.h5")).parameters(
                        ResolvedNetwork.resolve(KerasJson.read(json), new InputShape(32, 32, 3), 3)));
        assertTrue(e.getMessage().contains("needs") || e.getMessage().contains("shape"), e.getMessage());
    }

    /** The command line on a legacy .h5 keras.applications model: predict, export (TF's loader reads it), summary. */
    @Test
    void predictExportAndSummaryTakeALegacyH5(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String model = file("mobilenetv2-035-32.h5").toString();
        java.io.StringWriter err = new java.io.StringWriter();
        java.nio.file.Path csv = dir.resolve("pred.csv");
        assertEquals(0, dev.losslab.cli.Main.execute(new String[] {"predict", "--model", model, "--images",
                file("x.npy").toString(), "--out", csv.toString()}, new java.io.PrintWriter(new java.io.StringWriter(), true),
                new java.io.PrintWriter(err, true)), err.toString());
        List<String> rows = java.nio.file.Files.readAllLines(csv);
        float[] got = new float[8 * 4];
        for (int i = 0; i < 8; i++) {
            String[] f = rows.get(i + 1).split(",");
            for (int c = 0; c < 4; c++) {
                got[i * 4 + c] = Float.parseFloat(f[f.length - 4 + c]);
            }
        }
        assertTrue(maxAbs(npy("mobilenetv2-035-32.probs.npy"), got) <= 1e-5, "predict on the .h5: Keras' probabilities");
        java.nio.file.Path saved = dir.resolve("saved");
        assertEquals(0, dev.losslab.cli.Main.execute(new String[] {"export", "--model", model, "--out", saved.toString()},
                new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err, true)), err.toString());
        try (var bundle = org.tensorflow.SavedModelBundle.load(saved.toString(), "serve");
             var x = org.tensorflow.types.TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(8, 32, 32, 3),
                     org.tensorflow.ndarray.buffer.DataBuffers.of(npy("x.npy"), true, false));
             var r = bundle.function("serving_default").call(java.util.Map.of("images", x))) {
            float[] p = new float[32];
            ((org.tensorflow.types.TFloat32) r.get("probabilities").orElseThrow()).copyTo(
                    org.tensorflow.ndarray.buffer.DataBuffers.of(p, false, false));
            assertTrue(maxAbs(npy("mobilenetv2-035-32.probs.npy"), p) <= 1e-5, "the exported SavedModel: Keras' probabilities");
        }
        java.io.StringWriter summary = new java.io.StringWriter();
        assertEquals(0, dev.losslab.cli.Main.execute(new String[] {"summary", "--keras", model},
                new java.io.PrintWriter(summary, true), new java.io.PrintWriter(err, true)), err.toString());
        assertTrue(summary.toString().contains("Total params: 415,332") && summary.toString().contains("Non-trainable params: 14,080"),
                summary.toString());
    }
}
