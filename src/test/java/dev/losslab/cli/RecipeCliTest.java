package dev.losslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training recipe end to end: a run with SGD under a warm-up cosine schedule counted in epochs, early
 * stopping with the best weights restored and deferred class-balanced re-sampling trains on small synthetic data;
 * run.json records the recipe, the rate per epoch and the restored epoch, and what the run evaluates after
 * training (validation accuracy under argmax) is the restored epoch's. Bad recipes are one line, exit 2, before
 * any data is read, and nothing is written.
 */
class RecipeCliTest {
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        data = dir.resolve("data");
        TestData.writeSynthetic(data, 80, 30, 11);
    }

    static Path config(String name, String body) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, body);
        return f;
    }

    @Test
    void aKerasRecipeTrainsAndRestoresTheBestEpoch() throws IOException {
        Path c = config("recipe.json", """
                {"name": "recipe", "classes": [3, 7, 9], "distribution": [0.6, 0.3, 0.1], "epochs": 6, "batchSize": 16, "seed": 4,
                 "optimizer": {"SGD": {"learning_rate": {"CosineDecay": {"initial_learning_rate": 0.0, "decay_steps": 5,
                     "warmup_target": 0.05, "warmup_steps": 1, "unit": "epochs"}}, "momentum": 0.9, "weight_decay": 1e-4}},
                 "callbacks": [{"EarlyStopping": {"monitor": "val_loss", "patience": 1, "restore_best_weights": true}}],
                 "sampling": {"type": "class_balanced", "fromEpoch": 3}}
                """);
        Path out = dir.resolve("run");
        var o = CliTest.cli("train", "--config", c.toString(), "--out", out.toString(), "--data-dir", data.toString(),
                "--threads", "2", "--no-tensorboard");
        assertEquals(0, o.status(), o.err());
        JsonNode run = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        JsonNode training = run.get("training");
        assertTrue(training.get("recipe").asText().startsWith("SGD(lr CosineDecay in epochs, momentum 0.9, weight decay 1.0E-4)"
                + ", EarlyStopping, sampling class_balanced-from3"), training.toString());
        JsonNode history = run.get("history");
        int ran = training.get("epochsRun").asInt();
        assertEquals(history.size(), ran);
        assertTrue(ran >= 2 && ran <= 6, training.toString());
        // the rate at each epoch's end: the warm-up reaches 0.05 after one epoch, then the cosine decays
        assertEquals(0.05, history.get(0).get("learningRate").asDouble(), 1e-7);
        if (ran >= 2) {
            assertTrue(history.get(1).get("learningRate").asDouble() < 0.05);
        }
        // Keras 3 restores the best epoch's weights even when training ran to the end
        int restored = training.get("restoredEpoch").asInt();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        for (int e = 0; e < ran; e++) {
            double v = history.get(e).get("valLoss").asDouble();
            if (v < best) {
                best = v;
                bestEpoch = e + 1;
            }
        }
        assertEquals(bestEpoch, restored, history.toString());
        if (!training.get("stoppedEpoch").isNull()) {
            assertEquals(ran, training.get("stoppedEpoch").asInt());
        }
        // what the run evaluated after training is the restored epoch's network
        assertEquals(history.get(restored - 1).get("valAccuracy").asDouble(),
                run.at("/validation/defaultRule/accuracy").asDouble(), 1e-12);
        assertEquals("SGD", run.at("/config/optimizer").fieldNames().next());
    }

    @Test
    void validationFractionZeroTrainsOnEverythingAndKeepsArgmax() throws IOException {
        Path c = config("all.json", """
                {"name": "all", "classes": [3, 7], "distribution": [0.8, 0.2], "epochs": 1, "batchSize": 16, "seed": 4,
                 "validationFraction": 0}
                """);
        Path out = dir.resolve("all");
        var o = CliTest.cli("train", "--config", c.toString(), "--out", out.toString(), "--data-dir", data.toString(),
                "--threads", "2", "--no-tensorboard");
        assertEquals(0, o.status(), o.err());
        JsonNode run = new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
                .readTree(out.resolve("run.json").toFile());
        assertEquals("argmax", run.at("/tuning/chosen").asText());
        assertEquals(1, run.at("/tuning/methods").size());
        assertEquals(0, run.at("/classCounts/validation/0").asInt() + run.at("/classCounts/validation/1").asInt());
        assertFalse(Files.exists(out.resolve("val-probabilities.csv")));
        assertTrue(Files.isRegularFile(out.resolve("model/saved_model.pb")));
        assertTrue(run.at("/test/tuned/accuracy").asDouble() > 0);
        // early stopping needs a validation set: one line, before any data
        Path es = config("all-es.json", """
                {"name": "all", "classes": [3, 7], "distribution": [0.8, 0.2], "epochs": 2, "validationFraction": 0,
                 "callbacks": [{"EarlyStopping": {"patience": 1}}]}
                """);
        CliTest.assertOneLineError(CliTest.cli("train", "--config", es.toString(), "--out", dir.resolve("es").toString(),
                "--data-dir", dir.resolve("none").toString()), "callbacks[0].EarlyStopping: monitors val_loss but the run has "
                + "no validation set");
    }

    /** An npz with x_val / y_val: that set validates and tunes, the whole training set trains. */
    @Test
    void anExplicitValidationSetReplacesTheHeldOutShare() throws IOException {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        java.util.function.IntFunction<byte[]> images = n -> {
            byte[] b = new byte[n * 12 * 12];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) r.nextInt(256);
            }
            return b;
        };
        java.util.function.IntFunction<int[]> labels = n -> java.util.stream.IntStream.range(0, n).map(i -> i % 3).toArray();
        Path npz = dir.resolve("with-val.npz");
        dev.losslab.data.NpzFile.write(npz, java.util.Map.of(
                "x_train", dev.losslab.data.NpyArray.encode("|u1", new long[] {90, 12, 12}, images.apply(90)),
                "y_train", dev.losslab.data.NpyArray.encodeInt64(labels.apply(90)),
                "x_test", dev.losslab.data.NpyArray.encode("|u1", new long[] {30, 12, 12}, images.apply(30)),
                "y_test", dev.losslab.data.NpyArray.encodeInt64(labels.apply(30)),
                "x_val", dev.losslab.data.NpyArray.encode("|u1", new long[] {21, 12, 12}, images.apply(21)),
                "y_val", dev.losslab.data.NpyArray.encodeInt64(labels.apply(21))));
        Path c = config("with-val.json", "{\"name\": \"val\", \"data\": {\"npz\": \"" + npz.toString().replace("\\", "/")
                + "\"}, \"epochs\": 1, \"batchSize\": 16, \"model\": {\"layers\": [{\"Flatten\": {}}, "
                + "{\"Dense\": {\"units\": 3, \"activation\": \"softmax\"}}]}}");
        Path out = dir.resolve("with-val");
        var o = CliTest.cli("train", "--config", c.toString(), "--out", out.toString(), "--threads", "1", "--no-tensorboard");
        assertEquals(0, o.status(), o.err());
        JsonNode run = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertEquals("[7,7,7]", run.at("/classCounts/validation").toString(), "x_val as given");
        assertEquals("[30,30,30]", run.at("/classCounts/train").toString(), "every training image trains");
        assertEquals(22, Files.readAllLines(out.resolve("val-probabilities.csv")).size());
    }

    /** A folder source with validationDirectory: its pictures validate, in Keras' folder layout. */
    @Test
    void aValidationDirectoryValidates() throws IOException {
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        for (String part : new String[] {"train", "val", "test"}) {
            for (String cls : new String[] {"circle", "square"}) {
                int n = part.equals("train") ? 12 : part.equals("val") ? 5 : 4;
                for (int i = 0; i < n; i++) {
                    dev.losslab.testing.Pictures.write(dir.resolve("folders/" + part + "/" + cls + "/" + i + ".png"), "png", 16, 16,
                            1, dev.losslab.testing.Pictures.pattern(cls.equals("circle") ? 0 : 1, 16, 16, r));
                }
            }
        }
        Path root = dir.resolve("folders");
        Path c = config("folders.json", "{\"name\": \"f\", \"data\": {\"directory\": \"" + root.resolve("train")
                + "\", \"validationDirectory\": \"" + root.resolve("val") + "\", \"testDirectory\": \"" + root.resolve("test")
                + "\", \"colorMode\": \"grayscale\", \"cache\": false}, \"epochs\": 1, \"batchSize\": 8, "
                + "\"model\": {\"layers\": [{\"Flatten\": {}}, {\"Dense\": {\"units\": 1, \"activation\": \"sigmoid\"}}]}}");
        Path out = dir.resolve("folders-run");
        var o = CliTest.cli("train", "--config", c.toString(), "--out", out.toString(), "--threads", "1", "--no-tensorboard");
        assertEquals(0, o.status(), o.err());
        JsonNode run = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertEquals("[5,5]", run.at("/classCounts/validation").toString());
        assertEquals("[12,12]", run.at("/classCounts/train").toString());
    }

    @Test
    void badRecipesAreOneLineBeforeAnyData() throws IOException {
        String base = "{\"name\": \"bad\", \"classes\": [3, 7], \"distribution\": [0.8, 0.2], \"epochs\": 3, ";
        String[][] cases = {
                {"\"optimizer\": {\"Ftrl\": {}}}", "optimizer: unknown 'Ftrl'; supported: [Adagrad, Adam, AdamW, Adamax, "
                        + "Nadam, RMSprop, SGD]"},
                {"\"optimizer\": {\"SGD\": {\"momentun\": 0.9}}}", "optimizer.SGD.momentun: SGD has no argument 'momentun'"},
                {"\"optimizer\": {\"SGD\": {\"use_ema\": true}}}", "optimizer.SGD.use_ema: Keras' argument 'use_ema' is not "
                        + "supported by losslab"},
                {"\"optimizer\": {\"SGD\": {\"learning_rate\": -0.1}}}", "optimizer.SGD.learning_rate: must be a finite number "
                        + ">= 0, found -0.1"},
                {"\"optimizer\": {\"Adam\": {\"clipnorm\": 1, \"clipvalue\": 1}}}", "optimizer.Adam: give at most one of clipnorm, "
                        + "clipvalue and global_clipnorm"},
                {"\"optimizer\": {\"SGD\": {\"weight_decay\": -1}}}", "optimizer.SGD.weight_decay: must be >= 0, found -1.0"},
                {"\"learningRate\": 0.01, \"optimizer\": \"SGD\"}", "give learningRate (the shorthand for Adam) or optimizer, "
                        + "not both"},
                {"\"optimizer\": {\"SGD\": {\"learning_rate\": {\"PiecewiseConstantDecay\": {\"boundaries\": [1], \"values\": "
                        + "[0.1]}}}}}", "boundaries and values must have lengths n and n + 1, found 1 and 1"},
                {"\"callbacks\": [{\"EarlyStopping\": {\"monitor\": \"val_top5\"}}]}", "'val_top5' is not computed"},
                {"\"optimizer\": {\"SGD\": {\"learning_rate\": {\"CosineDecay\": {\"initial_learning_rate\": 0.1, "
                        + "\"decay_steps\": 5}}}}, \"callbacks\": [{\"ReduceLROnPlateau\": {}}]}",
                        "callbacks[0].ReduceLROnPlateau: the optimizer's learning rate is a schedule"},
                {"\"sampling\": {\"type\": \"class_balanced\", \"fromEpoch\": 4}}", "sampling.fromEpoch: 4 is beyond the run's 3 "
                        + "epochs"},
                {"\"sampling\": \"smote\"}", "sampling: unknown 'smote'"},
        };
        for (int i = 0; i < cases.length; i++) {
            Path c = config("bad" + i + ".json", base + cases[i][0]);
            Path out = dir.resolve("bad-out-" + i);
            var o = CliTest.cli("train", "--config", c.toString(), "--out", out.toString(), "--data-dir",
                    dir.resolve("no-such-data").toString());
            CliTest.assertOneLineError(o, cases[i][1]);
            assertFalse(Files.exists(out), "nothing written for " + cases[i][0]);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("bad-out")));
        }
    }
}
