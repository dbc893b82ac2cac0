package dev.losslab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.data.IdxFile;
import dev.losslab.data.IdxImages;
import dev.losslab.savedmodel.ModelMetadata;
import dev.losslab.network.CnnArchitecture;
import dev.losslab.network.ModelSpec;
import dev.losslab.train.SavedModelExport;
import dev.losslab.tune.ArgmaxRule;
import dev.losslab.tune.DecisionRule;
import dev.losslab.tune.DecisionTreeTuner;
import dev.losslab.tune.TreeRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * The tuned rule travels inside the SavedModel: a three-class model exported with a tree rule fitted on its own
 * probabilities has a {@code decide} signature whose class ids and names, read back through TensorFlow's
 * SavedModel loader as any TensorFlow runtime reads them, equal the Java rule on the {@code serving_default}
 * probabilities for 3,000 images; {@code predict} applies it by default and its CSV equals the Java rule's
 * ({@code --rule decision-rule.json}); a model exported before {@code decide} existed still gets its rule from
 * the metadata.
 */
class DecideSignatureTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path images;
    static TreeRule tree;
    static final int N = 3000;
    static final List<String> NAMES = List.of("T-shirt/top", "Trouser", "Pullover, \"knit\"");

    @BeforeAll
    static void exportWithATree() throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        byte[] px = new byte[N * 784];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (rng.nextInt(4) == 0 ? rng.nextInt(256) : (i / 784 % 7) * 30);
        }
        images = dir.resolve("images-idx3-ubyte");
        IdxFile.writeImages(images, new IdxImages(N, 28, 28, px));
        var params = CnnArchitecture.initialParameters(ModelSpec.VALID, 3, 11);
        Path plain = dir.resolve("plain");
        SavedModelExport.export(params, ModelSpec.VALID, 3, plain, metadata(new ArgmaxRule(3)));
        float[] p = servingProbabilities(plain);
        // labels that argmax gets wrong often, so the tree learns something other than argmax
        int[] y = new int[N];
        int[] argmax = dev.losslab.metrics.Metrics.argmax(p, 3);
        for (int i = 0; i < N; i++) {
            y[i] = p[i * 3 + 2] > p[i * 3] * 0.98 ? 2 : argmax[i];
        }
        tree = DecisionTreeTuner.fit(p, y, 3, new DecisionTreeTuner.Options(6, 64, 1, 1));
        model = dir.resolve("model");
        SavedModelExport.export(params, ModelSpec.VALID, 3, model, metadata(tree));
        Files.writeString(dir.resolve("decision-rule.json"), new ObjectMapper().writeValueAsString(tree));
    }

    static ModelMetadata metadata(DecisionRule rule) {
        return new ModelMetadata(ModelMetadata.FORMAT, new int[] {0, 1, 2}, NAMES, "unit", "probabilities",
                ModelSpec.VALID, "crossentropy", rule);
    }

    static float[] pixels() throws IOException {
        byte[] px = IdxFile.readImages(images).pixels();
        float[] x = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            x[i] = (px[i] & 0xff) / 255f;
        }
        return x;
    }

    static float[] servingProbabilities(Path savedModel) throws IOException {
        try (SavedModelBundle b = SavedModelBundle.load(savedModel.toString(), "serve");
             TFloat32 x = TFloat32.tensorOf(Shape.of(N, 28, 28, 1), DataBuffers.of(pixels(), true, false));
             var r = b.function(SavedModelExport.SIGNATURE).call(Map.of(SavedModelExport.INPUT, x))) {
            TFloat32 t = (TFloat32) r.get(SavedModelExport.OUTPUT).orElseThrow();
            float[] p = new float[N * 3];
            t.copyTo(DataBuffers.of(p, false, false));
            return p;
        }
    }

    @Test
    void decideEqualsTheJavaRuleOnEveryImage() throws IOException {
        float[] p = servingProbabilities(model);
        int[] want = tree.predict(p);
        assertTrue(tree.nodes().size() >= 7, "a real tree: " + tree.nodes());
        assertFalse(java.util.Arrays.equals(want, dev.losslab.metrics.Metrics.argmax(p, 3)), "the tree is not argmax");
        try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve")) {
            assertEquals(List.of(SavedModelExport.DECIDE, SavedModelExport.SIGNATURE).stream().sorted().toList(),
                    b.signatures().stream().map(s -> s.key()).sorted().toList());
            var sig = b.signatures().stream().filter(s -> s.key().equals(SavedModelExport.DECIDE)).findFirst().orElseThrow();
            assertEquals(java.util.Set.of("class_index", "class_id", "class_name", "probabilities"), sig.outputNames());
            try (TFloat32 x = TFloat32.tensorOf(Shape.of(N, 28, 28, 1), DataBuffers.of(pixels(), true, false));
                 var r = b.function(SavedModelExport.DECIDE).call(Map.of(SavedModelExport.INPUT, x))) {
                TInt64 ids = (TInt64) r.get(SavedModelExport.CLASS_INDEX).orElseThrow();
                TString names = (TString) r.get(SavedModelExport.CLASS_NAME).orElseThrow();
                TFloat32 probs = (TFloat32) r.get(SavedModelExport.OUTPUT).orElseThrow();
                float[] q = new float[N * 3];
                probs.copyTo(DataBuffers.of(q, false, false));
                assertArrayEquals(p, q, 0f, "decide returns the probabilities serving_default does");
                int[] got = new int[N];
                for (int i = 0; i < N; i++) {
                    got[i] = Math.toIntExact(ids.getLong(i));
                    assertEquals(NAMES.get(want[i]), names.getObject(i));
                }
                assertArrayEquals(want, got);
            }
        }
    }

    /**
     * A model trained on classes 0, 2 and 6 with 'tf' pixels: the decide signature's class_id, predict's predicted column
     * and the Java API's classId are the dataset's ids (0, 2, 6), class_index the output position, and the Java API
     * scales stored pixels as the metadata says, exactly as predict does.
     */
    @Test
    void classIdMeansTheDatasetsClassEverywhere() throws IOException {
        int[] classes = {0, 2, 6};
        Path m = dir.resolve("m026");
        var params = CnnArchitecture.initialParameters(ModelSpec.VALID, 3, 11);
        SavedModelExport.export(params, ModelSpec.VALID, 3, m, new ModelMetadata(ModelMetadata.FORMAT, classes, NAMES, "tf",
                "probabilities", ModelSpec.VALID, "crossentropy", tree));
        byte[] px = IdxFile.readImages(images).pixels();
        float[] stored = new float[px.length];
        float[] tfScaled = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            stored[i] = px[i] & 0xff;
            tfScaled[i] = stored[i] / 127.5f - 1f;
        }
        int[] index = new int[N];
        int[] id = new int[N];
        try (SavedModelBundle b = SavedModelBundle.load(m.toString(), "serve");
             TFloat32 x = TFloat32.tensorOf(Shape.of(N, 28, 28, 1), DataBuffers.of(tfScaled, true, false));
             var r = b.function(SavedModelExport.DECIDE).call(Map.of(SavedModelExport.INPUT, x))) {
            TInt64 ix = (TInt64) r.get(SavedModelExport.CLASS_INDEX).orElseThrow();
            TInt64 ids = (TInt64) r.get(SavedModelExport.CLASS_ID).orElseThrow();
            for (int i = 0; i < N; i++) {
                index[i] = Math.toIntExact(ix.getLong(i));
                id[i] = Math.toIntExact(ids.getLong(i));
                assertEquals(classes[index[i]], id[i], "class_id is the dataset's id of class_index");
            }
        }
        int differ = 0;
        for (int i = 0; i < N; i++) {
            differ += index[i] != id[i] ? 1 : 0;
        }
        assertTrue(differ > 0, "some decisions are classes 2 or 6, whose index and id differ");
        Path csv = dir.resolve("m026.csv");
        var o = CliTest.cli("predict", "--model", m.toString(), "--images", images.toString(), "--out", csv.toString());
        assertEquals(0, o.status(), o.err());
        List<String> rows = Files.readAllLines(csv);
        int col = List.of(rows.get(0).split(",")).indexOf("predicted");
        for (int i = 0; i < N; i++) {
            assertEquals(String.valueOf(id[i]), rows.get(i + 1).split(",")[col], "row " + i + ": predict's predicted = decide's class_id");
        }
        try (var c = dev.losslab.api.SavedModelClassifier.open(m)) {
            assertEquals("tf", c.pixelScaling());
            assertArrayEquals(classes, c.classIds());
            var got = c.classify(stored, N);
            assertArrayEquals(id, got.classId(), "the Java API scales stored pixels as the metadata says and reports ids");
            assertArrayEquals(index, got.classIndex());
            assertArrayEquals(index, c.decisions(tfScaled, N), "decisions are class indices of already scaled pixels");
            for (int i = 0; i < N; i++) {
                assertEquals(NAMES.get(index[i]), got.className().get(i));
            }
        }
    }

    @Test
    void predictUsesTheRuleInsideTheModelAndAgreesWithTheJavaRule() throws IOException {
        Path inGraph = dir.resolve("in-graph.csv");
        var o = CliTest.cli("predict", "--model", model.toString(), "--images", images.toString(), "--out", inGraph.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.err().contains("the rule inside the model (its 'decide' signature, method tree"), o.err());
        Path java = dir.resolve("java.csv");
        var j = CliTest.cli("predict", "--model", model.toString(), "--images", images.toString(), "--out", java.toString(),
                "--rule", dir.resolve("decision-rule.json").toString());
        assertEquals(0, j.status(), j.err());
        assertFalse(j.err().contains("decide"), j.err());
        List<String> a = Files.readAllLines(inGraph);
        assertEquals(N + 1, a.size());
        assertEquals(a, Files.readAllLines(java), "TensorFlow's decisions and the Java rule's, row for row");
        Path argmax = dir.resolve("argmax.csv");
        assertEquals(0, CliTest.cli("predict", "--model", model.toString(), "--images", images.toString(), "--out",
                argmax.toString(), "--rule", "argmax").status());
        assertFalse(a.equals(Files.readAllLines(argmax)), "--rule argmax overrides the rule inside the model");
    }

    @Test
    void aModelWithoutDecideStillGetsItsRuleFromTheMetadata() throws IOException {
        // as exported before the decide signature: serving_default only, the rule in assets/losslab-model.json
        Path old = dir.resolve("old");
        var params = CnnArchitecture.initialParameters(ModelSpec.VALID, 3, 11);
        SavedModelExport.export(params, ModelSpec.VALID, 3, old, null);
        metadata(tree).write(old);
        try (SavedModelBundle b = SavedModelBundle.load(old.toString(), "serve")) {
            assertEquals(1, b.signatures().size());
        }
        Path csv = dir.resolve("old.csv");
        var o = CliTest.cli("predict", "--model", old.toString(), "--images", images.toString(), "--out", csv.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.err().contains("the rule tuned on validation when the model was trained (method tree"), o.err());
        assertEquals(Files.readAllLines(dir.resolve("in-graph.csv")).size(), Files.readAllLines(csv).size());
        var again = CliTest.cli("predict", "--model", model.toString(), "--images", images.toString(), "--out",
                dir.resolve("again.csv").toString());
        assertEquals(0, again.status());
        assertEquals(Files.readAllLines(dir.resolve("again.csv")), Files.readAllLines(csv));
    }
}
