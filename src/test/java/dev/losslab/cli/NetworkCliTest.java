package dev.losslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.data.FolderImages;
import dev.losslab.testing.Pictures;
import dev.losslab.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Your own network through the CLI: the notebook's CNN written as a layer list and as Keras 3 JSON
 * trains to exactly the built-in network's numbers; a BatchNormalization/Dropout CNN and a small
 * residual network (Keras 3 functional JSON) train on an RGB folder and their SavedModels predict;
 * {@code summary}; bad networks as one line.
 */
class NetworkCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path data;
    static Path photos;

    @BeforeAll
    static void writeData() throws IOException {
        System.setProperty(FolderImages.CACHE_PROPERTY, dir.resolve("cache").toString());
        data = dir.resolve("fmnist");
        TestData.writeSynthetic(data, 60, 20, 3);
        photos = dir.resolve("photos");
        SplittableRandom r = new SplittableRandom(9);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 40; i++) {
                Pictures.write(photos.resolve("class" + c).resolve(i + ".png"), "png", 32, 32, 3, Pictures.pattern(c, 32, 32, r));
            }
        }
    }

    @AfterAll
    static void restore() {
        System.clearProperty(FolderImages.CACHE_PROPERTY);
    }

    private static Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static JsonNode run(Path config, String out, String... extra) throws IOException {
        String[] args = new String[6 + extra.length];
        args[0] = "train";
        args[1] = "--config";
        args[2] = config.toString();
        args[3] = "--out";
        args[4] = dir.resolve(out).toString();
        args[5] = "--no-tensorboard";
        System.arraycopy(extra, 0, args, 6, extra.length);
        var o = CliTest.cli(args);
        assertEquals(0, o.status(), o.err());
        return JSON.readTree(dir.resolve(out).resolve("run.json").toFile());
    }

    @Test
    void theNotebookAsALayerListAndAsKeras3JsonTrainsExactlyAsTheBuiltIn() throws IOException {
        String common = "\"classes\": [3, 7], \"distribution\": [0.8, 0.2], \"epochs\": 2, \"batchSize\": 16, \"seed\": 5";
        Path builtIn = write("builtin.json", "{\"name\": \"b\", " + common + "}");
        Path list = write("list.json", """
                {"name": "l", %s, "model": {"layers": [
                  {"Conv2D": {"filters": 64, "kernel_size": 3, "padding": "same", "activation": "relu"}},
                  {"MaxPooling2D": {"pool_size": 2, "padding": "same"}},
                  {"Conv2D": {"filters": 32, "kernel_size": 3, "padding": "same", "activation": "relu"}},
                  {"MaxPooling2D": {"pool_size": 2, "padding": "same"}},
                  {"Conv2D": {"filters": 32, "kernel_size": 3, "padding": "same", "activation": "relu"}},
                  {"MaxPooling2D": {"pool_size": 2, "padding": "same"}},
                  {"Flatten": {}},
                  {"Dense": {"units": 100, "activation": "relu"}},
                  {"Dense": {"units": 1, "activation": "sigmoid"}}]}}""".formatted(common));
        Path keras = write("notebook-keras3.json", keras3Notebook());
        Path kerasConfig = write("keras.json", "{\"name\": \"k\", " + common + ", \"model\": {\"keras\": \""
                + keras.toString().replace("\\", "\\\\") + "\"}}");
        JsonNode a = run(builtIn, "builtin", "--data-dir", data.toString(), "--threads", "1");
        JsonNode b = run(list, "list", "--data-dir", data.toString(), "--threads", "1");
        JsonNode c = run(kerasConfig, "keras", "--data-dir", data.toString(), "--threads", "1");
        for (JsonNode other : new JsonNode[] {b, c}) {
            assertEquals(a.get("history").get(1).get("trainLoss").asDouble(), other.get("history").get(1).get("trainLoss").asDouble(),
                    0.0, "same seed, same start, same numbers");
            assertEquals(a.get("test").toString(), other.get("test").toString());
        }
        assertEquals(Files.readString(dir.resolve("builtin/test-probabilities.csv")),
                Files.readString(dir.resolve("keras/test-probabilities.csv")));
        assertEquals(9, a.get("network").size(), "run.json records the resolved network");
        assertEquals(51300, a.get("network").get(7).get("params").asLong());
    }

    /** The notebook's CNN as Keras 3's to_json() writes it (written here; Keras names conv2d, conv2d_1, ...). */
    static String keras3Notebook() {
        StringBuilder layers = new StringBuilder("{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": "
                + "{\"batch_shape\": [null, 28, 28, 1], \"dtype\": \"float32\", \"sparse\": false, \"name\": \"input_layer\"}, "
                + "\"registered_name\": null}");
        String policy = "{\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float32\"}, \"registered_name\": null}";
        int[] filters = {64, 32, 32};
        for (int b = 0; b < 3; b++) {
            layers.append(", {\"module\": \"keras.layers\", \"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv2d")
                    .append(b == 0 ? "" : "_" + b).append("\", \"trainable\": true, \"dtype\": ").append(policy)
                    .append(", \"filters\": ").append(filters[b]).append(", \"kernel_size\": [3, 3], \"strides\": [1, 1], "
                    + "\"padding\": \"same\", \"data_format\": \"channels_last\", \"dilation_rate\": [1, 1], \"groups\": 1, "
                    + "\"activation\": \"relu\", \"use_bias\": true, \"kernel_initializer\": {\"module\": \"keras.initializers\", "
                    + "\"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null}, \"registered_name\": null}, "
                    + "\"bias_initializer\": {\"module\": \"keras.initializers\", \"class_name\": \"Zeros\", \"config\": {}, "
                    + "\"registered_name\": null}, \"kernel_regularizer\": null, \"bias_regularizer\": null, \"activity_regularizer\": null, "
                    + "\"kernel_constraint\": null, \"bias_constraint\": null}, \"registered_name\": null}");
            layers.append(", {\"module\": \"keras.layers\", \"class_name\": \"MaxPooling2D\", \"config\": {\"name\": \"max_pooling2d")
                    .append(b == 0 ? "" : "_" + b).append("\", \"trainable\": true, \"dtype\": ").append(policy)
                    .append(", \"pool_size\": [2, 2], \"padding\": \"same\", \"strides\": [2, 2], \"data_format\": \"channels_last\"}, "
                    + "\"registered_name\": null}");
        }
        layers.append(", {\"module\": \"keras.layers\", \"class_name\": \"Flatten\", \"config\": {\"name\": \"flatten\", "
                + "\"data_format\": \"channels_last\"}, \"registered_name\": null}");
        for (String[] d : new String[][] {{"dense", "100", "relu"}, {"dense_1", "1", "sigmoid"}}) {
            layers.append(", {\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"").append(d[0])
                    .append("\", \"units\": ").append(d[1]).append(", \"activation\": \"").append(d[2]).append("\", \"use_bias\": true, "
                    + "\"kernel_initializer\": {\"module\": \"keras.initializers\", \"class_name\": \"GlorotUniform\", \"config\": "
                    + "{\"seed\": null}, \"registered_name\": null}, \"bias_initializer\": {\"module\": \"keras.initializers\", "
                    + "\"class_name\": \"Zeros\", \"config\": {}, \"registered_name\": null}}, \"registered_name\": null}");
        }
        return "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential\", \"trainable\": true, "
                + "\"dtype\": " + policy + ", \"layers\": [" + layers + "]}, \"registered_name\": null, "
                + "\"build_config\": {\"input_shape\": [null, 28, 28, 1]}}";
    }

    @Test
    void batchNormDropoutAndResidualNetworksTrainOnAnRgbFolderAndServe() throws IOException {
        String dataBlock = "\"data\": {\"directory\": \"" + photos + "\", \"imageSize\": [32, 32]}, \"epochs\": 3, \"batchSize\": 16";
        Path bn = write("bn.json", """
                {"name": "bn", %s, "model": {"layers": [
                  {"Rescaling": {"scale": 1.0}},
                  {"Conv2D": {"filters": 8, "kernel_size": 3, "padding": "same", "use_bias": false}},
                  {"BatchNormalization": {}},
                  {"ReLU": {}},
                  {"MaxPooling2D": {"pool_size": 2}},
                  {"Conv2D": {"filters": 8, "kernel_size": 3, "strides": 2, "activation": "relu",
                              "kernel_initializer": "he_normal", "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.0001}}}},
                  {"GlobalAveragePooling2D": {}},
                  {"Dropout": {"rate": 0.3}},
                  {"Dense": {"units": 3, "activation": "softmax"}}]}}""".formatted(dataBlock));
        Path residual = write("res.json", "{\"name\": \"res\", " + dataBlock + ", \"model\": {\"keras\": \""
                + Path.of("src/test/resources/keras/gen-d-keras-3-functional-residual.json").toAbsolutePath() + "\"}}");
        for (Path cfg : new Path[] {bn, residual}) {
            String out = cfg.getFileName().toString().replace(".json", "-run");
            JsonNode rec = run(cfg, out);
            assertTrue(rec.get("test").get("tuned").get("accuracy").asDouble() > 0.5, cfg + ": " + rec.get("test"));
            var p = CliTest.cli("predict", "--model", dir.resolve(out).resolve("model").toString(), "--images", photos.toString(),
                    "--rule", "argmax");
            assertEquals(0, p.status(), p.err());
            assertTrue(p.out().contains("120 images (pictures, 32x32x3"), p.out());
            assertTrue(p.out().contains("accuracy"), p.out());
        }
        JsonNode bnRun = JSON.readTree(dir.resolve("bn-run/run.json").toFile());
        // a first Rescaling layer means the network takes 0..255 pixels, and its SavedModel says so
        assertEquals("raw", JSON.readTree(dir.resolve("bn-run/model/assets/losslab-model.json").toFile()).get("pixels").asText());
        assertEquals("unit", JSON.readTree(dir.resolve("res-run/model/assets/losslab-model.json").toFile()).get("pixels").asText());
        assertEquals("BatchNormalization", bnRun.get("network").get(2).get("type").asText());
        assertEquals(32, bnRun.get("network").get(2).get("params").asLong());
        assertEquals(16, bnRun.get("network").get(2).get("trainableParams").asLong());
        var summary = CliTest.cli("summary", "--config", bn.toString());
        assertEquals(0, summary.status(), summary.err());
        assertTrue(summary.out().contains("Non-trainable params: 16"), summary.out());
        assertTrue(summary.out().contains("note: the final softmax is left out"), summary.out());
        var keras = CliTest.cli("summary", "--keras", "src/test/resources/keras/gen-a-keras-2.2.4-sequential.json");
        assertEquals(0, keras.status(), keras.err());
        assertTrue(keras.out().contains("Total params: 31,594"), keras.out());
    }

    @Test
    void badNetworksAreOneLineExitTwoAndWriteNothing() throws IOException {
        String base = "{\"name\": \"x\", \"classes\": [3, 7], \"distribution\": [0.8, 0.2], \"model\": %s}";
        Path out = dir.resolve("bad-run");
        for (String[] c : new String[][] {
                {"{\"layers\": [{\"LSTM\": {\"units\": 4}}]}", "layer class 'LSTM' is not supported; supported: InputLayer"},
                {"{\"layers\": [{\"Flatten\": {}}, {\"Dense\": {\"units\": 5}}]}", "for 2 classes it must give 1 unit"},
                {"{\"layers\": [{\"Flatten\": {}}, {\"Dense\": {\"units\": 1, \"activation\": \"log_softmax\"}}]}",
                        "activation 'log_softmax' is not supported"},
                {"{\"keras\": \"" + dir.resolve("missing.json") + "\"}", "missing.json: file not found"},
                {"{\"layers\": [{\"Conv2D\": {\"filters\": 2, \"kernel_size\": 3}}, {\"Flatten\": {}}, {\"Dense\": {\"units\": 1}}],"
                        + " \"keras\": \"a.json\"}", "give layers or keras, not both"}}) {
            Path cfg = write("bad.json", base.formatted(c[0]));
            CliTest.assertOneLineError(CliTest.cli("train", "--config", cfg.toString(), "--out", out.toString(), "--data-dir",
                    data.toString()), c[1]);
            assertFalse(Files.exists(out), c[1]);
        }
        CliTest.assertOneLineError(CliTest.cli("summary", "--keras", write("x.json", "{\"a\": 1}").toString()),
                "not a Keras model JSON");
    }
}
