package dev.losslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.data.FashionMnistFile;
import dev.losslab.data.IdxFile;
import dev.losslab.data.IdxImages;
import dev.losslab.testing.TestData;
import java.io.IOException;


import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end on small synthetic IDX data, through picocli's API, and its bad-input errors. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path config;
    static Path run;

    static dev.losslab.testing.CliRun.Outcome cli(String... args) {
        return dev.losslab.testing.CliRun.cli(args);
    }

    /** A failure is exactly one line on stderr, starting with "losslab:", with status 2. */
    static void assertOneLineError(dev.losslab.testing.CliRun.Outcome o, String fragment) {
        assertEquals(2, o.status(), o.err());
        List<String> lines = o.err().lines().toList();
        assertEquals(1, lines.size(), o.err());
        assertTrue(lines.get(0).startsWith("losslab: "), o.err());
        assertTrue(lines.get(0).contains(fragment), o.err());
    }

    @BeforeAll
    static void writeData() throws IOException {
        data = dir.resolve("data");
        TestData.writeSynthetic(data, 80, 30, 11);
        config = dir.resolve("tiny.json");
        Files.writeString(config, """
                {"name": "tiny", "classes": [3, 7], "distribution": [0.8, 0.2], "loss": "crossentropy",
                 "epochs": 2, "batchSize": 16, "seed": 4}
                """);
        run = dir.resolve("run");
    }

    @Test
    @Order(1)
    void trainWritesEveryOutput() throws IOException {
        var o = cli("train", "--config", config.toString(), "--out", run.toString(), "--data-dir", data.toString(),
                "--threads", "2");
        assertEquals(0, o.status(), o.err());
        for (String f : List.of("run.json", "decision-rule.json", "val-probabilities.csv", "test-probabilities.csv",
                "model/saved_model.pb")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        JsonNode json = new ObjectMapper().readTree(run.resolve("run.json").toFile());
        assertEquals("ok", json.get("status").asText());
        assertFalse(json.at("/provenance/dataCanonical").asBoolean());
        assertEquals(2, json.get("history").size());
        assertEquals(4, json.at("/config/seed").asInt());
        // synthetic classes 3 and 7 are trivially separable
        assertTrue(json.at("/test/tuned/accuracy").asDouble() > 0.9, json.at("/test").toString());
        // the network and calibration are recorded
        assertEquals("same", json.at("/config/model/padding").asText());
        assertEquals("fp32", json.at("/config/precision").asText());
        assertTrue(json.at("/calibration/temperature").asDouble() > 0, json.at("/calibration").toString());
        double ece = json.at("/calibration/testEce").asDouble();
        assertTrue(ece >= 0 && ece <= 1, json.at("/calibration").toString());
        assertEquals(2, json.at("/calibration/testRecallPerClass").size());
        assertTrue(json.at("/calibration/testNllScaled").asDouble() <= json.at("/calibration/testNll").asDouble() + 0.05);
        List<String> csv = Files.readAllLines(run.resolve("test-probabilities.csv"));
        assertEquals("label,p0,p1", csv.get(0));
        assertEquals(1 + 30 + 8, csv.size()); // test: 30 of class 3, round(37.5 * 0.2) = 8 of class 7
        try (var files = Files.list(run)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")
                    && !p.getFileName().toString().equals(dev.losslab.util.OwnedFolder.MARKER)), "no temp files left");
        }
    }

    @Test
    @Order(2)
    void predictAppliesTheRuleAndReportsAccuracy() throws IOException {
        // a binary test file: the synthetic test images of classes 3 and 7, labels remapped to 0/1
        IdxImages all = IdxFile.readImages(data.resolve(FashionMnistFile.TEST_IMAGES.fileName()));
        byte[] labels = IdxFile.readLabels(data.resolve(FashionMnistFile.TEST_LABELS.fileName()));
        int n = 0;
        for (byte b : labels) {
            n += b == 3 || b == 7 ? 1 : 0;
        }
        byte[] px = new byte[n * 784];
        byte[] lb = new byte[n];
        for (int i = 0, j = 0; i < labels.length; i++) {
            if (labels[i] == 3 || labels[i] == 7) {
                System.arraycopy(all.pixels(), i * 784, px, j * 784, 784);
                lb[j++] = labels[i]; // Fashion-MNIST ids: the model's metadata maps 3, 7 to outputs 0, 1
            }
        }
        Path images = dir.resolve("pair-images-idx3-ubyte.gz");
        IdxFile.writeImages(images, new IdxImages(n, 28, 28, px));
        IdxFile.writeLabels(dir.resolve("pair-labels-idx1-ubyte.gz"), lb);
        Path preds = dir.resolve("preds.csv");
        var o = cli("predict", "--model", run.resolve("model").toString(), "--images", images.toString(),
                "--rule", run.resolve("decision-rule.json").toString(), "--out", preds.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("accuracy"), o.out());
        List<String> rows = Files.readAllLines(preds);
        assertEquals("index,predicted,predicted_name,p_3_Dress,p_7_Sneaker", rows.get(0));
        assertTrue(rows.get(1).matches("0,[37],(Dress|Sneaker),.*"), rows.get(1));
        assertEquals(n + 1, rows.size());
        double acc = Double.parseDouble(o.out().replaceAll("(?s).*accuracy ([0-9.]+).*", "$1"));
        assertTrue(acc > 0.9, o.out());
    }

    @Test
    @Order(3)
    void refusesANonEmptyOutputFolderWithoutForce() {
        assertOneLineError(cli("train", "--config", config.toString(), "--out", run.toString(), "--data-dir", data.toString()),
                "not empty");
    }

    @Test
    void invalidConfigsFailBeforeTraining() throws IOException {
        Path bad = dir.resolve("bad.json");
        Path out = dir.resolve("never");
        Files.writeString(bad, "{\"classes\": [0, 1], \"distribution\": [0.9, 0.2]}");
        assertOneLineError(cli("train", "--config", bad.toString(), "--out", out.toString(), "--data-dir", data.toString()),
                "sums to");
        Files.writeString(bad, "{\"classes\": [0, 1], \"distribution\": [0.9, 0.1], \"lossFunction\": \"x\"}");
        assertOneLineError(cli("train", "--config", bad.toString(), "--out", out.toString()), "unknown field 'lossFunction'");
        Files.writeString(bad, "{\"classes\": [0, 11], \"distribution\": [0.9, 0.1]}");
        assertOneLineError(cli("train", "--config", bad.toString(), "--out", out.toString()), "outside 0..9");
        Files.writeString(bad, "{\"classes\": [0, 1], \"distribution\": [0.9, 0.1], \"epochs\": \"ten\"}");
        assertOneLineError(cli("train", "--config", bad.toString(), "--out", out.toString()), "epochs");
        Files.writeString(bad, "{\"classes\": [0, 1], ");
        assertOneLineError(cli("train", "--config", bad.toString(), "--out", out.toString()), "not valid JSON");
        assertOneLineError(cli("train", "--config", config.toString(), "--out", out.toString(), "--loss", "hinge-ish"),
                "unknown loss 'hinge-ish'; valid: anyloss_accuracy");
        assertOneLineError(cli("train", "--config", dir.resolve("missing.json").toString(), "--out", out.toString()),
                "not found");
        assertFalse(Files.exists(out), "nothing written for a bad config");
    }

    @Test
    void corruptDataFileIsNamed() throws IOException {
        Path broken = dir.resolve("broken");
        TestData.writeSynthetic(broken, 10, 5, 2);
        Path labels = broken.resolve(FashionMnistFile.TRAIN_LABELS.fileName());
        byte[] bytes = Files.readAllBytes(labels);
        Files.write(labels, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        var o = cli("train", "--config", config.toString(), "--out", dir.resolve("x").toString(), "--data-dir",
                broken.toString());
        assertOneLineError(o, labels.toString());
    }

    @Test
    @Order(4)
    void predictBadInputs() throws IOException {
        Path model = run.resolve("model");
        Path images = data.resolve(FashionMnistFile.TEST_IMAGES.fileName());
        // not a SavedModel
        assertOneLineError(cli("predict", "--model", data.toString(), "--images", images.toString()), "not a SavedModel");
        // images of the wrong size
        Path small = dir.resolve("small-images-idx3-ubyte");
        IdxFile.writeImages(small, new IdxImages(3, 20, 20, new byte[3 * 400]));
        Path out = dir.resolve("never.csv");
        assertOneLineError(cli("predict", "--model", model.toString(), "--images", small.toString(), "--out", out.toString()),
                "images are 20x20 but the model expects 28x28");
        // a rule for another number of classes
        Path rule3 = dir.resolve("rule3.json");
        Files.writeString(rule3, "{\"method\":\"argmax\",\"numClasses\":3}");
        assertOneLineError(cli("predict", "--model", model.toString(), "--images", images.toString(), "--rule",
                rule3.toString(), "--out", out.toString()), "rule is for 3 classes but the model outputs 2");
        // a rule file that is not a rule
        Files.writeString(rule3, "{\"method\":\"magic\"}");
        assertOneLineError(cli("predict", "--model", model.toString(), "--images", images.toString(), "--rule",
                rule3.toString()), "not a decision rule");
        // a truncated image file
        Path cut = dir.resolve("cut-images.gz");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        assertOneLineError(cli("predict", "--model", model.toString(), "--images", cut.toString()), cut.toString());
        assertFalse(Files.exists(out), "no half-written predictions");
    }

    @Test
    void trainAcceptsEveryLossByName() {
        for (String name : dev.losslab.loss.LossRegistry.entries().keySet()) {
            Path out = dir.resolve("loss-" + name);
            var o = cli("train", "--config", config.toString(), "--out", out.toString(), "--data-dir", data.toString(),
                    "--loss", name, "--epochs", "1");
            assertEquals(0, o.status(), name + ": " + o.err());
            assertTrue(Files.isRegularFile(out.resolve("run.json")), name);
        }
    }

    @Test
    void lossParametersAreValidatedFromTheConfig() throws IOException {
        Path bad = dir.resolve("badparams.json");
        Files.writeString(bad, "{\"classes\": [0, 1], \"distribution\": [0.9, 0.1], \"loss\": \"pairwise_hinge\","
                + " \"lossParams\": {\"margin\": -1}}");
        assertOneLineError(cli("train", "--config", bad.toString(), "--out", dir.resolve("np").toString()), "margin");
    }

    @Test
    @Order(5)
    void tuneWorksOnTheProbabilitiesTrainWrites() throws IOException {
        Path rule = dir.resolve("tuned.json");
        var o = cli("tune", "--probabilities", run.resolve("val-probabilities.csv").toString(), "--test",
                run.resolve("test-probabilities.csv").toString(), "--out", rule.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("grid") && o.out().contains("tree") && o.out().contains("<- chosen"), o.out());
        var cf = cli("tune", "--probabilities", run.resolve("val-probabilities.csv").toString(), "--selection-folds", "3");
        assertEquals(0, cf.status(), cf.err());
        assertTrue(cf.out().contains("chosen by cross-fitting over 3 stratified validation folds")
                && cf.out().contains("out-of-fold accuracy") && cf.out().contains("<- chosen"), cf.out());
        assertOneLineError(cli("tune", "--probabilities", run.resolve("val-probabilities.csv").toString(),
                "--selection-folds", "1"), "at least 2");
        // a tree of a given size instead of a cross-validated one
        var sized = cli("tune", "--probabilities", run.resolve("val-probabilities.csv").toString(), "--method", "tree",
                "--tree-depth", "3", "--tree-leaf", "2");
        assertEquals(0, sized.status(), sized.err());
        assertTrue(sized.out().contains("maxDepth 3, nodeSize 2"), sized.out());
        assertOneLineError(cli("tune", "--probabilities", run.resolve("val-probabilities.csv").toString(), "--method", "tree",
                "--tree-depth", "1"), "maxDepth must be >= 2");
        assertOneLineError(cli("tune", "--probabilities", run.resolve("val-probabilities.csv").toString(),
                "--tree-leaf", "2"), "--tree-leaf needs --tree-depth");
        var p = cli("predict", "--model", run.resolve("model").toString(), "--images",
                dir.resolve("pair-images-idx3-ubyte.gz").toString(), "--rule", rule.toString());
        assertEquals(0, p.status(), p.err());
    }

    @Test
    void threeClassTrainTunesWithTreeAbsoluteRelative() throws IOException {
        Path cfg = dir.resolve("three.json");
        Files.writeString(cfg, """
                {"name": "three", "classes": [1, 4, 8], "distribution": [0.6, 0.3, 0.1], "epochs": 1, "seed": 2,
                 "search": "random", "searchSamples": 300, "selectionFolds": 3}
                """);
        Path out = dir.resolve("three-run");
        var o = cli("train", "--config", cfg.toString(), "--out", out.toString(), "--data-dir", data.toString());
        assertEquals(0, o.status(), o.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        List<String> methods = new java.util.ArrayList<>();
        json.at("/tuning/methods").forEach(m -> methods.add(m.get("method").asText()));
        assertEquals(List.of("argmax", "tree", "absolute", "relative"), methods);
        // chosen by cross-fitting: every method's out-of-fold accuracy is recorded and the chosen one has the most
        double best = -1;
        String bestMethod = null;
        for (JsonNode m : json.at("/tuning/methods")) {
            assertTrue(m.has("crossFittedObjective"), m.toString());
            if (m.get("crossFittedObjective").asDouble() > best + 1e-12) {
                best = m.get("crossFittedObjective").asDouble();
                bestMethod = m.get("method").asText();
            }
        }
        assertEquals(bestMethod, json.at("/tuning/chosen").asText());
        Path bad = dir.resolve("three-bad.json");
        Files.writeString(bad, Files.readString(cfg).replace("\"selectionFolds\": 3", "\"selectionFolds\": 1"));
        assertOneLineError(cli("train", "--config", bad.toString(), "--out", dir.resolve("bad-run").toString(), "--data-dir",
                data.toString()), "selectionFolds must be 0");
        assertFalse(Files.exists(dir.resolve("bad-run")), "nothing written for an invalid config");
        var t = cli("tune", "--probabilities", out.resolve("val-probabilities.csv").toString(), "--method", "relative",
                "--search", "exhaustive", "--step", "0.05");
        assertEquals(0, t.status(), t.err());
        assertTrue(t.out().contains("relative"), t.out());
    }

    @Test
    void badProbabilityFilesNameTheLine() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "label,p0,p1,p2\n0,0.5,0.25,0.25\n1,0.5,0.6,0.2\n");
        assertOneLineError(cli("tune", "--probabilities", csv.toString()), "bad.csv:3: probabilities sum to");
        Files.writeString(csv, "label,p0,p1\n0,0.5,0.5\n1,abc,0.5\n");
        assertOneLineError(cli("tune", "--probabilities", csv.toString()), "bad.csv:3: p0 'abc' is not a number");
        Files.writeString(csv, "label,p0,p1\n0,0.5,0.5\n2,0.5,0.5\n");
        assertOneLineError(cli("tune", "--probabilities", csv.toString()), "bad.csv:3: label 2 is outside 0..1");
        Files.writeString(csv, "label,p0,p1\n0,0.5\n");
        assertOneLineError(cli("tune", "--probabilities", csv.toString()), "bad.csv:2: 2 columns, expected 3");
        Files.writeString(csv, "label,p0\n0,1\n");
        assertOneLineError(cli("tune", "--probabilities", csv.toString()), "bad.csv:1: header");
        Files.writeString(csv, "label,p0,p1\n0,0.5,0.5\n");
        assertOneLineError(cli("tune", "--probabilities", csv.toString(), "--method", "absolute"), "does not apply to 2 classes");
    }

    @Test
    void unknownOptionIsOneLine() {
        assertOneLineError(cli("train", "--config", "x", "--out", "y", "--epoch", "3"), "Unknown option");
    }

    @Test
    void lossesListsCrossEntropy() {
        var o = cli("losses");
        assertEquals(0, o.status());
        assertTrue(o.out().contains("crossentropy"), o.out());
    }
}
