package dev.losslab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.data.FashionMnist;
import dev.losslab.data.FolderImages;
import dev.losslab.data.IdxFile;
import dev.losslab.data.IdxImages;
import dev.losslab.data.NpyArray;
import dev.losslab.data.NpzFile;
import dev.losslab.testing.Pictures;
import dev.losslab.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Own data through the CLI: an RGB folder trained, swept and predicted with one config; Fashion-MNIST
 * as a PNG tree against the same images as IDX files; bad inputs as one line with exit 2.
 */
class OwnDataCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Hostile class names: a comma and a quote, a line break, dots. */
    static final List<String> CLASSES = List.of("a,b\"c", "line\nbreak", "x..y");

    @TempDir
    static Path dir;
    static Path photos;

    @BeforeAll
    static void writePhotos() throws IOException {
        System.setProperty(FolderImages.CACHE_PROPERTY, dir.resolve("cache").toString());
        photos = dir.resolve("photos");
        SplittableRandom r = new SplittableRandom(7);
        int[] perClass = {60, 36, 24};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < perClass[c]; i++) {
                // mostly PNG, some JPEG, some in a nested folder, sizes that need resizing to 32x32
                String name = (i % 5 == 0 ? "nested/" : "") + String.format("img%03d", i) + (i % 4 == 0 ? ".jpg" : ".png");
                int side = i % 3 == 0 ? 40 : 32;
                Pictures.write(photos.resolve(CLASSES.get(c)).resolve(name), i % 4 == 0 ? "jpg" : "png", side, side, 3,
                        Pictures.pattern(c, side, side, r));
            }
        }
        Files.writeString(photos.resolve(CLASSES.get(0)).resolve("README.txt"), "skipped, counted");
    }

    @AfterAll
    static void restore() {
        System.clearProperty(FolderImages.CACHE_PROPERTY);
    }

    /** The CLI with what commands log to System.err (progress, notes) added to its err. */
    static dev.losslab.testing.CliRun.Outcome withStderr(String... args) {
        var stderr = new java.io.ByteArrayOutputStream();
        var saved = System.err;
        System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            dev.losslab.testing.CliRun.Outcome o = CliTest.cli(args);
            return new dev.losslab.testing.CliRun.Outcome(o.status(), o.out(), o.err() + stderr.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    private static Path config(String name, String json) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    @Test
    void rgbFolderTrainsSweepsAndPredictsWithOneConfig() throws IOException {
        Path sweep = config("photos.json", """
                {"name": "photos", "data": {"directory": "%s", "colorMode": "rgb", "imageSize": [32, 32]},
                 "losses": ["crossentropy", "focal"], "seeds": [1], "epochs": 3, "batchSize": 16}
                """.formatted(photos.toString().replace("\\", "\\\\")));
        dev.losslab.testing.CliRun.Outcome d = CliTest.cli("data", "--config", sweep.toString(), "--export", dir.resolve("photos.npz").toString());
        assertEquals(0, d.status(), d.err());
        assertTrue(d.out().contains("Found 120 files belonging to 3 classes. (skipped 1 non-image or hidden file)"), d.out());
        assertTrue(d.out().contains("images 32x32x3"), d.out());
        assertTrue(d.out().contains("'line\\u000abreak'"), "a line break in a class name stays on one line: " + d.out());
        assertTrue(d.out().contains("imbalance ratio"), d.out());
        Map<String, NpyArray> npz = NpzFile.read(dir.resolve("photos.npz"));
        assertArrayEquals(new long[] {96, 32, 32, 3}, npz.get("x_train").shape());
        assertEquals(CLASSES, npz.get("class_names").strings());
        List<String> filesTrain = npz.get("files_train").strings();
        assertEquals(96, filesTrain.size(), "one file per row of x_train");
        assertEquals(24, npz.get("files_test").strings().size());
        assertTrue(filesTrain.stream().allMatch(f -> CLASSES.stream().anyMatch(c -> f.startsWith(c + "/"))), filesTrain.get(0));
        assertTrue(filesTrain.contains(CLASSES.get(0) + "/nested/img000.jpg") || npz.get("files_test").strings()
                .contains(CLASSES.get(0) + "/nested/img000.jpg"), "nested files keep their relative path");

        Path run = dir.resolve("run");
        var t = withStderr("train", "--config", sweep.toString(), "--out", run.toString());
        assertEquals(0, t.status(), t.err());
        assertTrue(t.err().contains("is a sweep config; running its run all-crossentropy-seed1"), t.err());
        JsonNode rec = JSON.readTree(run.resolve("run.json").toFile());
        assertEquals("directory", rec.get("data").get("kind").asText());
        assertEquals(64, rec.get("data").get("contentSha256").asText().length());
        assertEquals("[32,32,3]", rec.get("data").get("imageShape").toString());
        assertEquals(1, rec.get("data").get("skippedFiles").asInt());
        double acc = rec.get("test").get("tuned").get("accuracy").asDouble();
        assertTrue(acc > 0.6, "three coloured patterns are learnable in 3 epochs: " + acc);
        JsonNode meta = JSON.readTree(run.resolve("model/assets/losslab-model.json").toFile());
        assertEquals("[32,32,3]", meta.get("inputShape").toString());
        assertEquals("rgb", meta.get("decoding").get("colorMode").asText());
        assertEquals("bilinear", meta.get("decoding").get("interpolation").asText());
        assertEquals(CLASSES.get(1), meta.get("classNames").get(1).asText());

        // predict on the training folder: resized and converted as in training, a file column, accuracy from folders
        Path csv = dir.resolve("pred.csv");
        var p = CliTest.cli("predict", "--model", run.resolve("model").toString(), "--images", photos.toString(), "--out",
                csv.toString());
        assertEquals(0, p.status(), p.err());
        assertTrue(p.out().contains("120 images (pictures, 32x32x3"), p.out());
        assertTrue(p.err().matches("(?s).*the rule inside the model \\(its .decide. signature, method "
                + "(argmax|absolute|relative|tree|logit_adjustment)[,;] .*"), "the rule named as decision-rule.json names it: " + p.err());
        assertTrue(p.out().contains("accuracy"), p.out());
        List<String> rows = Files.readAllLines(csv);
        assertTrue(rows.get(0).startsWith("index,file,predicted,predicted_name,"), rows.get(0));
        assertTrue(rows.get(0).contains("\"p_0_a,b\"\"c\""), "hostile names quoted in the header: " + rows.get(0));
        assertTrue(rows.get(0).contains(",p_1_line\\u000abreak,"), "a line break escaped: " + rows.get(0));
        assertEquals(121, rows.size(), "one line per image");
        assertTrue(rows.get(1).startsWith("0,\"a,b\"\"c/img001.png\","), rows.get(1));
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(q -> q.getFileName().toString().contains("..")), "no file named after a class outside");
        }

        // the sweep over the same config
        Path out = dir.resolve("sweep");
        var e = CliTest.cli("experiment", "--config", sweep.toString(), "--out", out.toString(), "--jobs", "1");
        assertEquals(0, e.status(), e.err());
        assertTrue(Files.isRegularFile(out.resolve("runs/all-focal-seed1/run.json")));
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("focal"));
        // the regenerate line names the config file that was run, not configs/<name>.json
        assertTrue(summary.contains("Regenerate: `tools/losslab experiment --config " + sweep.toAbsolutePath().normalize()
                + " --out "), summary.lines().filter(l -> l.startsWith("Regenerate")).findFirst().orElse(summary));
        // the first sweep run is the run train made: same data, same seed, same numbers
        JsonNode same = JSON.readTree(out.resolve("runs/all-crossentropy-seed1/run.json").toFile());
        assertEquals(rec.get("test").toString(), same.get("test").toString());
    }

    @Test
    void fashionMnistAsPngTreeGivesTheIdxPixelsAndTheIdxRun() throws IOException {
        FashionMnist real = TestData.real();
        String[] names = {"0_tshirt", "1_trouser", "2_pullover"};
        int[] perTrain = {150, 60, 30};
        int testPer = 40;
        Path tree = dir.resolve("fmnist-png");
        List<byte[]> train = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        List<byte[]> test = new ArrayList<>();
        List<Integer> testLabels = new ArrayList<>();
        export(real.trainImages(), real.trainLabels(), perTrain, tree.resolve("train"), names, train, trainLabels);
        export(real.testImages(), real.testLabels(), new int[] {testPer, testPer, testPer}, tree.resolve("test"), names, test,
                testLabels);
        // the same images as IDX files, in the tree's order (class folders sorted, files sorted)
        Path idx = Files.createDirectories(dir.resolve("fmnist-idx"));
        writeIdx(idx.resolve("train-images-idx3-ubyte.gz"), idx.resolve("train-labels-idx1-ubyte.gz"), train, trainLabels);
        writeIdx(idx.resolve("t10k-images-idx3-ubyte.gz"), idx.resolve("t10k-labels-idx1-ubyte.gz"), test, testLabels);
        String common = """
                "epochs": 1, "batchSize": 32, "seed": 3, "distribution": [0.6, 0.3, 0.1], "loss": "crossentropy" }""";
        Path png = config("fm-png.json", """
                {"name": "png", "data": {"directory": "%s", "testDirectory": "%s", "colorMode": "grayscale"}, %s
                """.formatted(tree.resolve("train"), tree.resolve("test"), common));
        Path ids = config("fm-idx.json", """
                {"name": "idx", "data": {"idx": {"trainImages": "%s", "trainLabels": "%s", "testImages": "%s",
                 "testLabels": "%s"}, "classNames": ["0_tshirt", "1_trouser", "2_pullover"]}, %s
                """.formatted(idx.resolve("train-images-idx3-ubyte.gz"), idx.resolve("train-labels-idx1-ubyte.gz"),
                idx.resolve("t10k-images-idx3-ubyte.gz"), idx.resolve("t10k-labels-idx1-ubyte.gz"), common));
        // the arrays: PNG decoding gives exactly the IDX bytes
        assertEquals(0, CliTest.cli("data", "--config", png.toString(), "--export", dir.resolve("png.npz").toString()).status());
        assertEquals(0, CliTest.cli("data", "--config", ids.toString(), "--export", dir.resolve("idx.npz").toString()).status());
        Map<String, NpyArray> a = NpzFile.read(dir.resolve("png.npz"));
        Map<String, NpyArray> b = NpzFile.read(dir.resolve("idx.npz"));
        for (String key : List.of("x_train", "y_train", "x_test", "y_test", "class_names")) {
            assertArrayEquals(b.get(key).content(), a.get(key).content(), key);
        }
        assertEquals("0_tshirt/00001.png", a.get("files_train").strings().get(0), "row 0 is the first T-shirt of the IDX file");
        // the runs: same seed, same numbers, same probabilities
        var r1 = CliTest.cli("train", "--config", png.toString(), "--out", dir.resolve("run-png").toString());
        assertEquals(0, r1.status(), r1.err());
        var r2 = CliTest.cli("train", "--config", ids.toString(), "--out", dir.resolve("run-idx").toString());
        assertEquals(0, r2.status(), r2.err());
        JsonNode j1 = JSON.readTree(dir.resolve("run-png/run.json").toFile());
        JsonNode j2 = JSON.readTree(dir.resolve("run-idx/run.json").toFile());
        assertEquals(j2.get("test").toString(), j1.get("test").toString());
        assertEquals(j2.get("history").get(0).get("trainLoss").toString(), j1.get("history").get(0).get("trainLoss").toString());
        assertEquals(j2.get("data").get("contentSha256").asText(), j1.get("data").get("contentSha256").asText());
        assertEquals(Files.readString(dir.resolve("run-idx/test-probabilities.csv")),
                Files.readString(dir.resolve("run-png/test-probabilities.csv")));
    }

    private static void export(IdxImages images, byte[] labels, int[] per, Path root, String[] names, List<byte[]> out,
                               List<Integer> outLabels) throws IOException {
        for (int c = 0; c < names.length; c++) {
            int kept = 0;
            for (int i = 0; i < labels.length && kept < per[c]; i++) {
                if (labels[i] == c) {
                    byte[] px = java.util.Arrays.copyOfRange(images.pixels(), i * 784, (i + 1) * 784);
                    Pictures.write(root.resolve(names[c]).resolve(String.format("%05d.png", i)), "png", 28, 28, 1, px);
                    out.add(px);
                    outLabels.add(c);
                    kept++;
                }
            }
        }
    }

    private static void writeIdx(Path images, Path labels, List<byte[]> px, List<Integer> lb) throws IOException {
        byte[] all = new byte[px.size() * 784];
        byte[] l = new byte[px.size()];
        for (int i = 0; i < px.size(); i++) {
            System.arraycopy(px.get(i), 0, all, i * 784, 784);
            l[i] = (byte) (int) lb.get(i);
        }
        IdxFile.writeImages(images, new IdxImages(px.size(), 28, 28, all));
        IdxFile.writeLabels(labels, l);
    }

    @Test
    void badOwnDataIsOneLineExitTwoAndWritesNothing() throws IOException {
        Path export = dir.resolve("bad-export.npz");
        Path out = dir.resolve("bad-run");
        for (String[] c : List.of(
                new String[] {"{\"name\": \"x\", \"data\": {\"directory\": \"" + dir.resolve("missing") + "\"}}", "does not exist"},
                new String[] {"{\"name\": \"x\", \"data\": {\"directory\": \"" + photos + "\", \"npz\": \"a.npz\"}}",
                        "exactly one source"},
                new String[] {"{\"name\": \"x\", \"data\": {\"directory\": \"" + photos + "\", \"colorMode\": \"cmyk\"}}",
                        "colorMode: unknown 'cmyk'; valid: grayscale, rgb, rgba"},
                new String[] {"{\"name\": \"x\", \"model\": {\"padding\": \"valid\"}, \"data\": {\"directory\": \"" + photos
                        + "\", \"imageSize\": [16, 16]}}", "the minimum is 22x22"},
                new String[] {"{\"name\": \"x\", \"data\": {\"directory\": \"" + photos + "\", \"classNames\": [\"cat\"]}}",
                        "classNames: 'cat' is not a subfolder"},
                new String[] {"{\"name\": \"x\", \"data\": {\"npz\": \"" + dir.resolve("none.npz") + "\"}}", "none.npz: file not found"},
                new String[] {"{\"name\": \"x\", \"classes\": [0, 5], \"data\": {\"directory\": \"" + photos
                        + "\", \"imageSize\": [32, 32]}}", "classes: id 5 is outside 0..2"})) {
            Path cfg = config("bad.json", c[0]);
            var dataOutcome = CliTest.cli("data", "--config", cfg.toString(), "--export", export.toString());
            assertEquals(2, dataOutcome.status(), c[1] + ": " + dataOutcome.out());
            CliTest.assertOneLineError(dataOutcome, c[1]);
            var trainOutcome = CliTest.cli("train", "--config", cfg.toString(), "--out", out.toString());
            assertEquals(2, trainOutcome.status(), c[1] + ": " + trainOutcome.out());
            CliTest.assertOneLineError(trainOutcome, c[1]);
            assertFalse(Files.exists(export), "nothing written for " + c[1]);
            assertFalse(Files.exists(out), "nothing written for " + c[1]);
        }
    }
}
