package dev.losslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.data.FashionMnist;
import dev.losslab.data.IdxFile;
import dev.losslab.data.IdxImages;
import dev.losslab.savedmodel.ModelMetadata;
import dev.losslab.network.CnnArchitecture;
import dev.losslab.network.ModelSpec;
import dev.losslab.testing.TestData;
import dev.losslab.train.SavedModelExport;
import dev.losslab.tune.BinaryThresholdRule;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * predict on models it did not train (built here with TF Java: rank-3 input with logits output, a
 * raw-pixel model, a folder without variables/), on losslab models with metadata, and on every input
 * kind (IDX, PNG folder, .npy), each behaviour of the predict issue checked.
 */
class PredictCommandTest {
    @TempDir
    static Path dir;

    static Path logitsModel;
    static Path rawPixelModel;
    static Path losslabModel;
    static Path idx;
    static final int N = 60;

    @BeforeAll
    static void models() throws IOException {
        logitsModel = dir.resolve("logits-model");
        rawPixelModel = dir.resolve("raw-model");
        losslabModel = dir.resolve("losslab-model");
        exportLinear(logitsModel, false);
        exportLinear(rawPixelModel, true);
        // a losslab model for classes 3 (Dress) and 7 (Sneaker), random weights, metadata with a tuned rule
        var params = CnnArchitecture.initialParameters(ModelSpec.VALID, 2, 5);
        var meta = new ModelMetadata(ModelMetadata.FORMAT, new int[] {3, 7}, List.of("Dress", "Sneaker"), "unit",
                "probabilities", ModelSpec.VALID, "crossentropy", new BinaryThresholdRule(0.25));
        SavedModelExport.export(params, ModelSpec.VALID, 2, losslabModel, meta);
        // N images with labels 0..9 (synthetic), as IDX with its labels file beside it
        Path data = dir.resolve("data");
        TestData.writeSynthetic(data, 6, 6, 3);
        IdxImages all = IdxFile.readImages(data.resolve("t10k-images-idx3-ubyte.gz"));
        idx = dir.resolve("few-images-idx3-ubyte");
        IdxFile.writeImages(idx, new IdxImages(N, 28, 28, java.util.Arrays.copyOf(all.pixels(), N * 784)));
        IdxFile.writeLabels(dir.resolve("few-labels-idx1-ubyte"), java.util.Arrays.copyOf(
                IdxFile.readLabels(data.resolve("t10k-labels-idx1-ubyte.gz")), N));
    }

    /**
     * A linear model with a variable: input "pixels" float [-1, 28, 28] (rank 3), output "scores"
     * [-1, 3]: logits = mean-pooled pixel bands x W. With {@code rawPixels} it divides by 255 itself
     * and applies softmax (a model with its own Rescaling layer).
     */
    static void exportLinear(Path out, boolean rawPixels) throws IOException {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var x = tf.withName("pixels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28)));
            float[] w = new float[784 * 3];
            for (int i = 0; i < 784; i++) {
                w[i * 3 + (i / 28) % 3] = (i % 2 == 0 ? 4f : -2f) / 784;
            }
            var weights = tf.withName("W").variable(tf.constant(Shape.of(784, 3), DataBuffers.of(w, true, false)));
            var flat = tf.reshape(x, tf.constant(new int[] {-1, 784}));
            var in = rawPixels ? tf.math.div(flat, tf.constant(255f)) : flat;
            var logits = tf.linalg.matMul(in, weights);
            var y = tf.withName("scores").identity(rawPixels ? tf.nn.softmax(tf.math.mul(logits, tf.constant(1000f))) : logits);
            try (Session s = new Session(g)) {
                s.initialize();
                Signature sig = Signature.builder().key("serving_default").input("pixels", x).output("scores", y).build();
                SavedModelBundle.exporter(out.toString()).withSession(s).withSignature(sig).export();
            }
        }
    }

    private static List<String> csv(Path f) throws IOException {
        return Files.readAllLines(f);
    }

    @Test
    void logitsAreDetectedAndSoftmaxedWithANote() throws IOException {
        Path out = dir.resolve("logits.csv");
        var o = CliTest.cli("predict", "--model", logitsModel.toString(), "--images", idx.toString(), "--out", out.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.err().contains("note: the model's outputs are not probabilities") && o.err().contains("softmax"), o.err());
        assertFalse(o.out().contains("accuracy"), "no accuracy for a model that is not losslab's without --labels: " + o.out());
        List<String> rows = csv(out);
        assertEquals("index,predicted,p0,p1,p2", rows.get(0));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            double sum = 0;
            for (int c = 2; c < 5; c++) {
                double v = Double.parseDouble(f[c]);
                assertTrue(v >= 0 && v <= 1, row);
                sum += v;
            }
            assertEquals(1, sum, 1e-5, row);
        }
        // told the outputs are probabilities, they are written as they are (negative values included)
        Path asIs = dir.resolve("as-is.csv");
        var p = CliTest.cli("predict", "--model", logitsModel.toString(), "--images", idx.toString(), "--outputs",
                "probabilities", "--out", asIs.toString(), "--class-names", "a,b,c");
        assertEquals(0, p.status(), p.err());
        assertFalse(p.err().contains("note"), p.err());
        assertEquals("index,predicted,predicted_name,p_0_a,p_1_b,p_2_c", csv(asIs).get(0));
        assertOneLine(CliTest.cli("predict", "--model", logitsModel.toString(), "--images", idx.toString(),
                "--class-names", "a,b"), "--class-names gives 2 names but the model outputs 3");
    }

    @Test
    void pixelScalingIsAnOption() throws IOException {
        Path unit = dir.resolve("unit.csv");
        Path raw = dir.resolve("raw.csv");
        assertEquals(0, CliTest.cli("predict", "--model", rawPixelModel.toString(), "--images", idx.toString(), "--out",
                unit.toString()).status());
        var o = CliTest.cli("predict", "--model", rawPixelModel.toString(), "--images", idx.toString(), "--pixels", "raw",
                "--out", raw.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("pixels raw"), o.out());
        // fed /255 twice, the model sees near-zero inputs: near-uniform probabilities; raw gives confident ones
        double unitMax = maxProbability(unit);
        double rawMax = maxProbability(raw);
        assertTrue(unitMax < 0.40 && rawMax > 0.9, unitMax + " vs " + rawMax);
        assertOneLine(CliTest.cli("predict", "--model", rawPixelModel.toString(), "--images", idx.toString(), "--pixels",
                "bytes"), "unknown pixel scaling 'bytes'");
    }

    private static double maxProbability(Path f) throws IOException {
        double max = 0;
        for (String row : csv(f).subList(1, csv(f).size())) {
            String[] v = row.split(",");
            for (int c = 2; c < v.length; c++) {
                max = Math.max(max, Double.parseDouble(v[c]));
            }
        }
        return max;
    }

    @Test
    void aFolderWithoutVariablesIsOneLineExitTwo() throws IOException {
        Path broken = dir.resolve("no-variables");
        copyTree(logitsModel, broken);
        try (var walk = Files.walk(broken.resolve("variables"))) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertOneLine(CliTest.cli("predict", "--model", broken.toString(), "--images", idx.toString()),
                "the graph reads variables but " + broken.resolve("variables") + " is missing");
        Path empty = Files.createDirectories(dir.resolve("empty-model"));
        assertOneLine(CliTest.cli("predict", "--model", empty.toString(), "--images", idx.toString()), "no saved_model.pb");
    }

    @Test
    void losslabMetadataNamesColumnsMapsLabelsAndSuppliesTheRule() throws IOException {
        // labels 0..9 beside the images: not the model's classes 3 and 7, so no accuracy, with a note
        Path out = dir.resolve("meta.csv");
        var o = CliTest.cli("predict", "--model", losslabModel.toString(), "--images", idx.toString(), "--out", out.toString());
        assertEquals(0, o.status(), o.err());
        assertFalse(o.out().contains("accuracy"), o.out());
        assertTrue(o.err().contains("holds classes the model was not trained on"), o.err());
        assertTrue(o.err().contains("decide' signature, method grid, threshold 0.25"), "the tuned rule is the default: " + o.err());
        List<String> rows = csv(out);
        assertEquals("index,predicted,predicted_name,p_3_Dress,p_7_Sneaker", rows.get(0));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            boolean sneaker = Double.parseDouble(f[4]) >= 0.25;
            assertEquals(sneaker ? "7,Sneaker" : "3,Dress", f[1] + "," + f[2], row);
        }
        // labels of the model's classes only (Fashion-MNIST ids 3 and 7): accuracy is printed
        Path labels37 = dir.resolve("labels-37");
        byte[] lb = new byte[N];
        for (int i = 0; i < N; i++) {
            lb[i] = (byte) (i % 2 == 0 ? 3 : 7);
        }
        IdxFile.writeLabels(labels37, lb);
        var a = CliTest.cli("predict", "--model", losslabModel.toString(), "--images", idx.toString(), "--labels",
                labels37.toString(), "--rule", "argmax");
        assertEquals(0, a.status(), a.err());
        assertTrue(a.out().contains("accuracy"), a.out());
        assertFalse(a.err().contains("threshold"), a.err());
        // explicit labels outside the model's classes: one line
        assertOneLine(CliTest.cli("predict", "--model", losslabModel.toString(), "--images", idx.toString(), "--labels",
                dir.resolve("few-labels-idx1-ubyte").toString()), "is not one of the model's classes [3, 7]");
    }

    @Test
    void pngFolderAndNpyGiveTheSamePredictionsAsIdx() throws IOException {
        FashionMnist real = TestData.real();
        int n = 200;
        IdxImages test = real.testImages();
        byte[] px = java.util.Arrays.copyOf(test.pixels(), n * 784);
        Path realIdx = dir.resolve("real-images-idx3-ubyte");
        IdxFile.writeImages(realIdx, new IdxImages(n, 28, 28, px));
        Path pngs = Files.createDirectories(dir.resolve("pngs"));
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, 28, 28, java.util.Arrays.copyOfRange(px, i * 784, (i + 1) * 784));
            ImageIO.write(img, "png", pngs.resolve(String.format("img-%04d.png", i)).toFile());
        }
        Path u8 = dir.resolve("u8.npy");
        Files.write(u8, npy("|u1", "(" + n + ", 28, 28)", px));
        ByteBuffer f32 = ByteBuffer.allocate(n * 784 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (byte b : px) {
            f32.putFloat(b & 0xff);
        }
        Path f4 = dir.resolve("f32.npy");
        Files.write(f4, npy("<f4", "(" + n + ", 28, 28, 1)", f32.array()));

        List<String> fromIdx = predictions(realIdx, "idx.csv", false);
        List<String> fromPng = predictions(pngs, "png.csv", true);
        List<String> fromU8 = predictions(u8, "u8.csv", false);
        List<String> fromF32 = predictions(f4, "f32.csv", false);
        assertEquals(n, fromIdx.size());
        assertEquals(fromIdx, fromPng, "a folder of PNGs written from the test set predicts as the IDX file does");
        assertEquals(fromIdx, fromU8);
        assertEquals(fromIdx, fromF32);
        List<String> pngRows = csv(dir.resolve("png.csv"));
        assertTrue(pngRows.get(0).startsWith("index,file,predicted,"), pngRows.get(0));
        assertTrue(pngRows.get(1).startsWith("0,img-0000.png,"), "file relative to the folder: " + pngRows.get(1));
        assertTrue(pngRows.get(1).contains("img-0000.png"), pngRows.get(1));

        // a 56x56 RGB picture is converted and resized to the model's 28x28
        BufferedImage big = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
        Path one = dir.resolve("big.jpg");
        ImageIO.write(big, "jpg", one.toFile());
        var o = CliTest.cli("predict", "--model", losslabModel.toString(), "--images", one.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("1 images (pictures, 28x28"), o.out());
    }

    /** Per image: the predicted class and the probabilities, without the index/path columns. */
    private static List<String> predictions(Path images, String name, boolean hasPath) throws IOException {
        Path out = dir.resolve(name);
        var o = CliTest.cli("predict", "--model", losslabModel.toString(), "--images", images.toString(), "--out",
                out.toString(), "--rule", "argmax");
        assertEquals(0, o.status(), o.err());
        List<String> rows = new ArrayList<>();
        for (String row : csv(out).subList(1, csv(out).size())) {
            String[] f = row.split(",", hasPath ? 3 : 2);
            rows.add(f[f.length - 1]);
        }
        return rows;
    }

    @Test
    void badPicturesAndArraysAreOneLineExitTwo() throws IOException {
        Path bad = dir.resolve("bad.png");
        Files.writeString(bad, "not a png");
        assertOneLine(CliTest.cli("predict", "--model", losslabModel.toString(), "--images", bad.toString()), "bad.png");
        Path wrongShape = dir.resolve("wrong.npy");
        Files.write(wrongShape, npy("|u1", "(2, 28, 28, 3)", new byte[2 * 28 * 28 * 3]));
        assertOneLine(CliTest.cli("predict", "--model", losslabModel.toString(), "--images", wrongShape.toString()),
                "need [N,H,W] or [N,H,W,1]");
        Path small = dir.resolve("small.npy");
        Files.write(small, npy("|u1", "(2, 20, 20)", new byte[800]));
        assertOneLine(CliTest.cli("predict", "--model", losslabModel.toString(), "--images", small.toString()),
                "images are 20x20 but the model expects 28x28");
        Path f8 = dir.resolve("f8.npy");
        Files.write(f8, npy("<f8", "(1, 28, 28)", new byte[784 * 8]));
        assertOneLine(CliTest.cli("predict", "--model", losslabModel.toString(), "--images", f8.toString()),
                "dtype '<f8' not supported");
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, npy("|u1", "(3, 28, 28)", new byte[100]));
        assertOneLine(CliTest.cli("predict", "--model", losslabModel.toString(), "--images", cut.toString()), "truncated");
        Path none = Files.createDirectories(dir.resolve("no-pictures"));
        assertOneLine(CliTest.cli("predict", "--model", losslabModel.toString(), "--images", none.toString()),
                "no .png, .jpg, .jpeg, .bmp or .gif files");
    }

    /** A version 1.0 .npy file. */
    static byte[] npy(String descr, String shape, byte[] data) {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }

    private static void assertOneLine(dev.losslab.testing.CliRun.Outcome o, String fragment) {
        CliTest.assertOneLineError(o, fragment);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
