package dev.losslab.kerasfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.losslab.data.NpyArray;
import dev.losslab.data.PixelScaling;
import dev.losslab.inference.SavedModelPredictor;
import dev.losslab.inference.TrainedModel;
import dev.losslab.kerasfile.KerasModelFile;
import dev.losslab.network.Parameter;
import dev.losslab.network.ResolvedNetwork;
import dev.losslab.testing.CliRun;
import dev.losslab.testing.TestData;
import dev.losslab.train.KerasExport;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * losslab's Keras files against the files Keras 3.15.1 wrote itself ({@code ../shared/reference/keras-files/}): Keras'
 * own models read by losslab and written back have Keras' layout key for key (zip entries, metadata keys, every HDF5
 * group, dataset, shape, dtype and attribute name, every value; config.json layer by layer: class, name, every config
 * key and value, call nodes, build configs) and, read back, give Keras' probabilities. A model losslab trained goes
 * out as .keras and .h5 whose outputs on raw 0..255 pixels equal its SavedModel's on the scaled pixels.
 */
class KerasFileWriterTest {
    static final Path DIR = Path.of("..", "shared", "reference", "keras-files");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static Path file(String name) {
        Path p = DIR.resolve(name);
        assumeTrue(Files.isRegularFile(p), "Keras' reference files are not beside the repository: " + p);
        return p;
    }

    /** Keras' file read by losslab and written back to {@code out}. */
    static ResolvedNetwork writeBack(String name, Path out) {
        Path in = file(name + ".keras");
        ResolvedNetwork net = KerasExport.network(in);
        List<Parameter> params = KerasModelFile.read(in).parameters(net);
        KerasFileWriter.write(net, params, PixelScaling.RAW, net.spec().name(), out);
        return net;
    }

    /** One HDF5 node as the layout compares it: kind, shape, dtype, attribute names. */
    record NodeShape(String kind, String shape, String dtype, List<String> attributes) {
    }

    static Map<String, NodeShape> layout(HdfFile f) {
        Map<String, NodeShape> out = new TreeMap<>();
        out.put("/", new NodeShape("group", "", "", new ArrayList<>(new TreeMap<>(f.getAttributes()).keySet())));
        walk(f, out);
        return out;
    }

    private static void walk(Group g, Map<String, NodeShape> out) {
        for (Node n : g.getChildren().values()) {
            List<String> attrs = new ArrayList<>(new TreeMap<>(n.getAttributes()).keySet());
            if (n instanceof Dataset d) {
                out.put(d.getPath(), new NodeShape("dataset", Arrays.toString(d.getDimensions()),
                        d.getJavaType().getSimpleName(), attrs));
            } else if (n instanceof Group c) {
                out.put(c.getPath().replaceAll("/$", ""), new NodeShape("group", "", "", attrs));
                walk(c, out);
            }
        }
    }

    static Object values(HdfFile f, String path) {
        Object v = ((Dataset) f.getByPath(path)).getDataFlat();
        return v;
    }

    static byte[] entry(ZipFile zip, String name) throws IOException {
        try (var in = zip.getInputStream(zip.getEntry(name))) {
            return in.readAllBytes();
        }
    }

    /** Keras' config of one layer with what is not the model's: the dtype policy's object id, initializers' seeds. */
    static JsonNode comparable(JsonNode layerConfig) {
        ObjectNode c = layerConfig.deepCopy();
        if (c.get("dtype") instanceof ObjectNode d) {
            d.remove("shared_object_id");
        }
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.endsWith("_initializer") && c.get(k).isObject()) {
                c.put(k, c.get(k).get("class_name").asText());
            }
        }
        return c;
    }

    /** config.json (or a .h5's model_config) of ours against Keras', layer by layer. */
    static void assertSameConfig(JsonNode ours, JsonNode keras) {
        assertEquals(names(keras), names(ours));
        assertEquals(names(keras.get("config")), names(ours.get("config")));
        for (String k : List.of("name", "trainable", "input_layers", "output_layers")) {
            assertEquals(keras.get("config").get(k), ours.get("config").get(k), k);
        }
        JsonNode kl = keras.get("config").get("layers");
        JsonNode ol = ours.get("config").get("layers");
        assertEquals(kl.size(), ol.size());
        for (int i = 0; i < kl.size(); i++) {
            JsonNode k = kl.get(i);
            JsonNode o = ol.get(i);
            String where = k.get("name").asText();
            assertEquals(names(k), names(o), where);
            assertEquals(k.get("class_name"), o.get("class_name"), where);
            assertEquals(k.get("name"), o.get("name"), where);
            assertEquals(names(k.get("config")), names(o.get("config")), where);
            assertEquals(comparable(k.get("config")), comparable(o.get("config")), where);
            assertEquals(k.get("inbound_nodes"), o.get("inbound_nodes"), where);
            if (k.has("build_config") && !k.get("class_name").asText().equals("Normalization")) {
                // (Normalization's records the batch of 8 it was adapted on)
                assertEquals(k.get("build_config"), o.get("build_config"), where);
            }
        }
    }

    static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        out.sort(null);
        return out;
    }

    @Test
    void kerasOwnModelsWrittenBackAsKerasArchivesHaveKerasLayout() throws IOException {
        for (String name : List.of("train-init", "layer-zoo")) {
            Path out = tmp.resolve(name + ".keras");
            writeBack(name, out);
            try (ZipFile ours = new ZipFile(out.toFile()); ZipFile keras = new ZipFile(file(name + ".keras").toFile())) {
                assertEquals(ours.stream().map(ZipEntry::getName).toList(), keras.stream().map(ZipEntry::getName).toList());
                assertTrue(ours.stream().allMatch(e -> e.getMethod() == ZipEntry.STORED), "entries are stored, as Keras'");
                assertEquals(names(JSON.readTree(entry(keras, "metadata.json"))), names(JSON.readTree(entry(ours, "metadata.json"))));
                assertSameConfig(JSON.readTree(entry(ours, "config.json")), JSON.readTree(entry(keras, "config.json")));
                try (HdfFile o = HdfFile.fromByteBuffer(ByteBuffer.wrap(entry(ours, "model.weights.h5")));
                     HdfFile k = HdfFile.fromByteBuffer(ByteBuffer.wrap(entry(keras, "model.weights.h5")))) {
                    Map<String, NodeShape> kl = layout(k);
                    kl.keySet().removeIf(p -> p.startsWith("/optimizer")); // a compiled model's optimizer state
                    assertEquals(kl, layout(o), name);
                    for (var e : kl.entrySet()) {
                        if (e.getValue().kind().equals("dataset")) {
                            assertTrue(Arrays.deepEquals(new Object[] {values(k, e.getKey())},
                                    new Object[] {values(o, e.getKey())}), e.getKey());
                        }
                        if (e.getKey().endsWith("/vars")) {
                            assertEquals(k.getByPath(e.getKey()).getAttribute("name").getData(),
                                    o.getByPath(e.getKey()).getAttribute("name").getData(), e.getKey());
                        }
                    }
                }
            }
        }
    }

    @Test
    void kerasOwnModelWrittenBackAsLegacyH5HasKerasLayout() throws IOException {
        Path out = tmp.resolve("layer-zoo.h5");
        writeBack("layer-zoo", out);
        try (HdfFile o = new HdfFile(out); HdfFile k = new HdfFile(file("layer-zoo.h5"))) {
            Map<String, NodeShape> kl = layout(k);
            Map<String, NodeShape> ol = layout(o);
            kl.keySet().removeIf(p -> p.startsWith("/optimizer_weights"));
            for (String p : new ArrayList<>(kl.keySet())) {
                NodeShape ks = kl.get(p);
                NodeShape os = ol.get(p);
                assertTrue(os != null, "missing " + p);
                if (ks.kind().equals("group") && p.startsWith("/model_weights/")) {
                    // jhdf cannot write an empty array: a weightless layer's group has no weight_names (Keras reads none)
                    Attribute names = k.getByPath(p).getAttribute("weight_names");
                    Object data = names == null ? null : names.getData();
                    boolean empty = names != null && (data == null || java.lang.reflect.Array.getLength(data) == 0);
                    assertEquals(empty ? List.of() : ks.attributes(), os.attributes(), p);
                    if (!empty && names != null) {
                        assertArrayEquals((Object[]) data, (Object[]) o.getByPath(p).getAttribute("weight_names").getData(), p);
                    }
                } else if (p.equals("/")) {
                    assertEquals(List.of("backend", "keras_version", "model_config"), os.attributes()); // not compiled
                } else {
                    assertEquals(ks, os, p);
                }
                if (ks.kind().equals("dataset")) {
                    assertTrue(Arrays.deepEquals(new Object[] {values(k, p)}, new Object[] {values(o, p)}), p);
                }
            }
            kl.keySet().forEach(ol::remove);
            assertEquals(Map.of(), ol, "nothing Keras' file does not have");
            assertArrayEquals((Object[]) k.getByPath("/model_weights").getAttribute("layer_names").getData(),
                    (Object[]) o.getByPath("/model_weights").getAttribute("layer_names").getData());
            assertSameConfig(JSON.readTree(o.getAttribute("model_config").getData().toString()),
                    JSON.readTree(k.getAttribute("model_config").getData().toString()));
        }
    }

    /** Outputs of a Keras file as losslab reads it, on raw pixels. */
    float[] kerasFileOutputs(Path file, float[] x, int n, int h, int w, int c) {
        Path saved = tmp.resolve("sm-" + file.getFileName());
        KerasExport.export(file, saved);
        try (SavedModelPredictor p = SavedModelPredictor.open(saved)) {
            return p.outputs(x, n, h, w, c, 64);
        }
    }

    static double maxAbs(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void writtenFilesReadBackGiveKerasProbabilities() throws IOException {
        float[] x = NpyArray.parse("x.npy", Files.readAllBytes(file("x.npy"))).pixelValues();
        for (String name : List.of("train-init", "layer-zoo")) {
            float[] keras = NpyArray.parse(name, Files.readAllBytes(file(name + ".probs.npy"))).pixelValues();
            for (String ext : List.of(".keras", ".h5")) {
                Path out = tmp.resolve(name + ext);
                writeBack(name, out);
                double d = maxAbs(keras, kerasFileOutputs(out, x, 8, 32, 32, 3));
                assertTrue(d <= 1e-5, name + ext + ": max abs difference to Keras' probabilities " + d);
            }
        }
    }

    @Test
    void aTrainedRunGoesOutAsKerasFilesGivingItsProbabilitiesOnRawPixels() throws IOException {
        Path data = tmp.resolve("data");
        TestData.writeSynthetic(data, 40, 10, 3);
        Path layers = tmp.resolve("three.json");
        Files.writeString(layers, """
                {"name": "three", "classes": [1, 4, 8], "distribution": [0.5, 0.3, 0.2], "loss": "crossentropy",
                 "epochs": 1, "batchSize": 16, "seed": 2,
                 "model": {"layers": [
                   {"Conv2D": {"filters": 4, "kernel_size": 3, "use_bias": false, "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.0001}}}},
                   {"BatchNormalization": {}}, {"ReLU": {}}, {"MaxPooling2D": {"pool_size": 2}},
                   {"GlobalAveragePooling2D": {}}, {"Dense": {"units": 3, "activation": "softmax"}}]}}
                """);
        Path binary = tmp.resolve("binary.json");
        Files.writeString(binary, """
                {"name": "binary", "classes": [3, 7], "distribution": [0.8, 0.2], "loss": "crossentropy",
                 "epochs": 1, "batchSize": 16, "seed": 4}
                """);
        Random r = new Random(5);
        float[] raw = new float[6 * 28 * 28];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = r.nextInt(256);
        }
        float[] unit = raw.clone();
        PixelScaling.UNIT.apply(unit, 1);
        for (Path config : List.of(layers, binary)) {
            Path run = tmp.resolve("run-" + config.getFileName());
            var o = CliRun.cli("train", "--config", config.toString(), "--out", run.toString(), "--data-dir", data.toString(),
                    "--threads", "1");
            assertEquals(0, o.status(), o.err());
            float[] expected;
            try (SavedModelPredictor p = SavedModelPredictor.open(run.resolve("model"))) {
                expected = p.outputs(unit, 6, 28, 28, 1, 64);
            }
            TrainedModel trained = TrainedModel.read(run);
            assertEquals(PixelScaling.UNIT, trained.pixels());
            for (String ext : List.of(".keras", ".h5")) {
                Path out = tmp.resolve(config.getFileName() + ext);
                var e = CliRun.cli("export", "--model", run.toString(), "--out", out.toString());
                assertEquals(0, e.status(), e.err());
                double d = maxAbs(expected, kerasFileOutputs(out, raw, 6, 28, 28, 1));
                assertTrue(d <= 1e-6, config.getFileName() + ext + ": max abs difference to the run's SavedModel " + d);
                JsonNode json = ext.equals(".keras") ? archiveConfig(out) : legacyConfig(out);
                JsonNode first = json.at("/config/layers/1");
                assertEquals("Rescaling", first.get("class_name").asText(), "the run's pixel scaling travels as a layer");
                assertEquals(1 / 255.0, first.at("/config/scale").asDouble(), 1e-12);
                JsonNode layersJson = json.at("/config/layers");
                JsonNode last = layersJson.get(layersJson.size() - 1);
                assertEquals(config == binary ? "sigmoid" : "softmax", last.at("/config/activation").asText());
                byte[] before = Files.readAllBytes(out);
                var again = CliRun.cli("export", "--model", run.toString(), "--out", out.toString(), "--force");
                assertEquals(2, again.status(), again.err());
                assertEquals(1, again.err().lines().count(), again.err());
                assertTrue(again.err().contains("never replaces a file"), again.err());
                assertArrayEquals(before, Files.readAllBytes(out), "an existing file is left as it was");
            }
        }
        try (var s = Files.list(tmp)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".partial-")), "no temporary folder left");
        }
    }

    static JsonNode archiveConfig(Path file) throws IOException {
        try (ZipFile z = new ZipFile(file.toFile())) {
            return JSON.readTree(entry(z, "config.json"));
        }
    }

    static JsonNode legacyConfig(Path file) throws IOException {
        try (HdfFile f = new HdfFile(file)) {
            return JSON.readTree(f.getAttribute("model_config").getData().toString());
        }
    }
}
