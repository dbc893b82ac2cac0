package dev.losslab.network;

import dev.losslab.kerasfile.KerasModelFile;
import dev.losslab.data.InputShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import dev.losslab.data.Images;
import dev.losslab.data.NpyArray;
import dev.losslab.data.NpzFile;
import dev.losslab.loss.LossRegistry;
import dev.losslab.recipe.Recipe;
import dev.losslab.testing.TestData;
import dev.losslab.train.Device;
import dev.losslab.train.EpochRecord;
import dev.losslab.train.Trainer;
import dev.losslab.train.TrainingGraph;
import dev.losslab.train.TrainingOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Against files Keras 3.15.1 wrote itself ({@code ../shared/reference/keras-files/}, its README): the weights of
 * {@code train-init.keras} read by Keras' keys give Keras' own probabilities on {@code x.npy}; and from those
 * weights, four full-batch epochs on {@code train-data.npz} with each optimizer and schedule of
 * {@code keras-files.json} (SGD momentum under ExponentialDecay, Adam under CosineDecay with warm-up) give Keras'
 * loss per epoch and Keras' probabilities afterwards, within 1e-5. That checks the optimizers, the schedules at
 * the optimizer's step count, BatchNormalization's training pass and moving statistics, and the training loop
 * against Keras rather than against our reading of it.
 */
class KerasFilesTest {
    static final Path DIR = Path.of("..", "shared", "reference", "keras-files");
    static final ObjectMapper JSON = new ObjectMapper();

    static Path file(String name) {
        Path p = DIR.resolve(name);
        assumeTrue(Files.isRegularFile(p), "Keras' reference files are not beside the repository: " + p);
        return p;
    }

    static float[] npy(String name) throws IOException {
        return NpyArray.parse(name, Files.readAllBytes(file(name))).pixelValues();
    }

    record Model(ResolvedNetwork net, List<Parameter> weights) {
    }

    static Model trainInit() {
        KerasModelFile f = KerasModelFile.read(file("train-init.keras"));
        ResolvedNetwork net = ResolvedNetwork.resolve(f.network(), new InputShape(32, 32, 3), 3);
        return new Model(net, f.parameters(net));
    }

    /** Probabilities of the inference pass on 8 raw 32x32x3 images. */
    static float[] predict(ResolvedNetwork net, List<Parameter> weights, float[] x) {
        return predict(net, weights, x, 3);
    }

    /** Outputs for {@code k} classes (probabilities, or logits when the network has no final softmax). */
    static float[] predict(ResolvedNetwork net, List<Parameter> weights, float[] x, int k) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            NetworkGraph model = NetworkGraph.create(tf, net, weights, 1);
            var in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
            var p = CnnGraph.probabilities(tf, model.logits(tf, in, false), net.numClasses());
            s.initialize();
            model.initialize(s);
            try (TFloat32 xt = TFloat32.tensorOf(Shape.of(8, 32, 32, 3), DataBuffers.of(x, true, false));
                 var r = s.runner().feed(in, xt).fetch(p).run()) {
                float[] out = new float[8 * k];
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
                return out;
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
    void theFilesWeightsGiveKerasProbabilities() throws IOException {
        Model m = trainInit();
        assertEquals(JSON.readTree(file("keras-files.json").toFile()).at("/counts/train-init/total").asLong(),
                m.net().trainableParams() + m.net().nonTrainableParams());
        double d = maxAbs(npy("train-init.probs.npy"), predict(m.net(), m.weights(), npy("x.npy")));
        assertTrue(d <= 1e-5, "max abs difference to Keras' probabilities: " + d);
    }

    @Test
    void fourEpochsWithEachOptimizerGiveKerasLossesAndProbabilities() throws IOException {
        JsonNode training = JSON.readTree(file("keras-files.json").toFile()).get("training");
        Map<String, NpyArray> data = NpzFile.read(file("train-data.npz"));
        float[] x = data.get("x_train").pixelValues();
        int[] y = data.get("y_train").labels();
        Images train = new Images(x, y, 3, 32, 32, 3);
        for (var it = training.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode t = e.getValue();
            Model m = trainInit();
            Recipe recipe = Recipe.parse(null, t.get("optimizer"), null, null, null, t.get("epochs").asInt(), false, 255);
            TrainingOptions options = new TrainingOptions(t.get("epochs").asInt(), t.get("batch_size").asInt(), 1e-3, 1,
                    Device.CPU, 1, 0, false, null, recipe);
            try (TrainingGraph graph = new TrainingGraph(ModelSpec.NOTEBOOK, m.net(), m.weights(),
                    LossRegistry.create("crossentropy", Map.of()), options, train.size())) {
                List<EpochRecord> history = new Trainer(options, TestData.quiet()).fit(graph, train, train.subset(new int[0]));
                for (int epoch = 0; epoch < history.size(); epoch++) {
                    double keras = t.get("loss_per_epoch").get(epoch).asDouble();
                    assertEquals(keras, history.get(epoch).trainLoss(), 1e-5, e.getKey() + " epoch " + (epoch + 1));
                }
                double d = maxAbs(npy("train-" + e.getKey() + ".probs.npy"), graph.probabilities(train, 8));
                assertTrue(d <= 1e-5, e.getKey() + ": max abs difference to Keras' probabilities after training: " + d);
            }
        }
    }

    /**
     * The same through the command line, as a user writes it: a run config whose model is the .keras file, on the
     * npz data, with the optimizer of keras-files.json; its test probabilities are Keras' after the same training.
     */
    @Test
    void aRunConfigStartsFromTheKerasFilesWeights() throws Exception {
        JsonNode sgd = JSON.readTree(file("keras-files.json").toFile()).at("/training/sgd-momentum-expdecay");
        Path dir = Files.createTempDirectory("keras-run");
        try {
            var config = JSON.createObjectNode();
            config.put("name", "from-keras");
            config.putObject("data").put("npz", file("train-data.npz").toAbsolutePath().toString());
            config.putObject("model").put("keras", file("train-init.keras").toAbsolutePath().toString());
            config.put("validationFraction", 0);
            config.put("epochs", sgd.get("epochs").asInt());
            config.put("batchSize", sgd.get("batch_size").asInt());
            config.set("optimizer", sgd.get("optimizer"));
            Path c = dir.resolve("run.json");
            Files.writeString(c, config.toString());
            Path out = dir.resolve("out");
            java.io.StringWriter err = new java.io.StringWriter();
            int status = dev.losslab.cli.Main.execute(new String[] {"train", "--config", c.toString(), "--out", out.toString(),
                    "--threads", "1", "--no-tensorboard"}, new java.io.PrintWriter(new java.io.StringWriter(), true),
                    new java.io.PrintWriter(err, true));
            assertEquals(0, status, err.toString());
            var table = dev.losslab.experiment.ProbabilityCsv.read(out.resolve("test-probabilities.csv"));
            double d = maxAbs(npy("train-sgd-momentum-expdecay.probs.npy"), table.probabilities());
            assertTrue(d <= 1e-5, "test probabilities against Keras' after the same training: " + d);
            // weights: false starts fresh from the seed instead
            config.with("model").put("weights", false);
            Files.writeString(c, config.toString());
            Path fresh = dir.resolve("fresh");
            java.io.StringWriter err2 = new java.io.StringWriter();
            assertEquals(0, dev.losslab.cli.Main.execute(new String[] {"train", "--config", c.toString(), "--out",
                    fresh.toString(), "--threads", "1", "--no-tensorboard"}, new java.io.PrintWriter(new java.io.StringWriter()),
                    new java.io.PrintWriter(err2, true)), err2.toString());
            double f = maxAbs(npy("train-sgd-momentum-expdecay.probs.npy"),
                    dev.losslab.experiment.ProbabilityCsv.read(fresh.resolve("test-probabilities.csv")).probabilities());
            assertTrue(f > 1e-3, "fresh weights train to other probabilities: " + f);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Transfer learning's first phase: every layer before the Dense head frozen ({@code "trainable": {"from": ...}}),
     * four epochs of SGD leave every base weight and BatchNormalization's moving statistics bit-identical to the
     * file's (a frozen BatchNormalization runs on its moving statistics and does not update them, Keras 3's rule),
     * while the head trains; Keras' trainable and non-trainable counts follow.
     */
    @Test
    void aFrozenBaseKeepsEveryWeightAndMovingStatisticAndTheHeadTrains() throws Exception {
        Path file = file("train-init.keras");
        NetworkSpec spec = KerasModelFile.network(file);
        String head = spec.layers().stream().filter(l -> l.className().equals("Dense")).findFirst().orElseThrow().name();
        ModelSpec frozen = new ModelSpec(null, null, file.toString(), null, JSON.readTree("{\"from\": \"" + head + "\"}"));
        ResolvedNetwork net = frozen.resolve(new InputShape(32, 32, 3), 3);
        assertEquals(3 * 8 + 3, net.trainableParams(), "only the head's kernel and bias train");
        List<Parameter> start = frozen.initialWeights(net);
        Map<String, NpyArray> data = NpzFile.read(file("train-data.npz"));
        Images train = new Images(data.get("x_train").pixelValues(), data.get("y_train").labels(), 3, 32, 32, 3);
        Recipe recipe = Recipe.parse(null, JSON.readTree("{\"SGD\": {\"learning_rate\": 0.1, \"momentum\": 0.9}}"), null,
                null, null, 4, false, 255);
        TrainingOptions options = new TrainingOptions(4, 8, 0.1, 1, Device.CPU, 1, 0, false, null, recipe);
        try (TrainingGraph graph = new TrainingGraph(frozen, net, start, LossRegistry.create("crossentropy", Map.of()), options,
                train.size())) {
            new Trainer(options, TestData.quiet()).fit(graph, train, train.subset(new int[0]));
            List<Parameter> after = graph.parameters();
            int changed = 0;
            for (int i = 0; i < start.size(); i++) {
                boolean same = java.util.Arrays.equals(start.get(i).values(), after.get(i).values());
                if (net.weights().get(i).name().startsWith(head + "/")) {
                    changed += same ? 0 : 1;
                } else {
                    assertTrue(same, net.weights().get(i).name() + " is frozen and must not move");
                }
            }
            assertEquals(2, changed, "the head's kernel and bias train");
        }
        assertTrue(assertThrows(LosslabException.class, () -> new ModelSpec(null, null, file.toString(), null,
                JSON.readTree("{\"from\": \"nope\"}")).network(3)).getMessage().startsWith("model.trainable.from: no layer 'nope'"));
    }

    /**
     * A new head on the file's output ({@code "head"}), the file's layers frozen ({@code "trainable": false}): the
     * head starts from the seed's initializers and trains, the base keeps the file's weights, the counts follow.
     */
    @Test
    void aNewHeadOnAFrozenBase() throws Exception {
        Path file = file("train-init.keras");
        ModelSpec spec = new ModelSpec(null, null, file.toString(), null, JSON.readTree("false"), List.of(
                Map.of("Dense", Map.of("name", "new_head", "units", 3, "activation", "softmax"))));
        ResolvedNetwork net = spec.resolve(new InputShape(32, 32, 3), 3);
        assertEquals(3 * 3 + 3, net.trainableParams(), "only the new head trains");
        assertEquals("new_head", net.layers().get(net.layers().size() - 1).spec().name());
        List<Parameter> start = spec.initialWeights(net, 5);
        KerasModelFile f = KerasModelFile.read(file);
        List<Parameter> base = f.parameters(ResolvedNetwork.resolve(f.network(), new InputShape(32, 32, 3), 3));
        for (int i = 0; i < base.size(); i++) {
            assertTrue(java.util.Arrays.equals(base.get(i).values(), start.get(i).values()), "the base starts from the file");
        }
        Map<String, NpyArray> data = NpzFile.read(file("train-data.npz"));
        Images train = new Images(data.get("x_train").pixelValues(), data.get("y_train").labels(), 3, 32, 32, 3);
        Recipe recipe = Recipe.parse(null, JSON.readTree("{\"Adam\": {\"learning_rate\": 0.01}}"), null, null, null, 3, false,
                255);
        TrainingOptions options = new TrainingOptions(3, 8, 0.01, 1, Device.CPU, 1, 0, false, null, recipe);
        try (TrainingGraph graph = new TrainingGraph(spec, net, start, LossRegistry.create("crossentropy", Map.of()), options,
                train.size())) {
            new Trainer(options, TestData.quiet()).fit(graph, train, train.subset(new int[0]));
            List<Parameter> after = graph.parameters();
            for (int i = 0; i < after.size(); i++) {
                boolean same = java.util.Arrays.equals(start.get(i).values(), after.get(i).values());
                assertEquals(i < base.size(), same, net.weights().get(i).name());
            }
        }
        ModelSpec clash = new ModelSpec(null, null, file.toString(), null, null, List.of(
                Map.of("Dense", Map.of("name", f.network().output(), "units", 3))));
        assertTrue(assertThrows(LosslabException.class, () -> clash.network(3)).getMessage().contains("is already the base's"));
    }

    /** predict on a .keras file, export to a SavedModel read back by TensorFlow's loader, summary: Keras' numbers. */
    @Test
    void predictExportAndSummaryTakeTheKerasFile() throws Exception {
        Path dir = Files.createTempDirectory("keras-cli");
        try {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            Path csv = dir.resolve("pred.csv");
            int status = dev.losslab.cli.Main.execute(new String[] {"predict", "--model", file("train-init.keras").toString(),
                    "--images", file("x.npy").toString(), "--out", csv.toString()}, new java.io.PrintWriter(out, true),
                    new java.io.PrintWriter(err, true));
            assertEquals(0, status, err.toString());
            assertTrue(out.toString().contains("pixels raw"), out.toString());
            List<String> rows = Files.readAllLines(csv);
            float[] got = new float[8 * 3];
            for (int i = 0; i < 8; i++) {
                String[] f = rows.get(i + 1).split(",");
                for (int c = 0; c < 3; c++) {
                    got[i * 3 + c] = Float.parseFloat(f[f.length - 3 + c]);
                }
            }
            assertTrue(maxAbs(npy("train-init.probs.npy"), got) <= 1e-5, "predict on the .keras file: Keras' probabilities");

            Path saved = dir.resolve("saved");
            assertEquals(0, dev.losslab.cli.Main.execute(new String[] {"export", "--model", file("train-init.keras").toString(),
                    "--out", saved.toString()}, new java.io.PrintWriter(new java.io.StringWriter()),
                    new java.io.PrintWriter(new java.io.StringWriter())));
            try (var bundle = org.tensorflow.SavedModelBundle.load(saved.toString(), "serve");
                 TFloat32 x = TFloat32.tensorOf(Shape.of(8, 32, 32, 3), DataBuffers.of(npy("x.npy"), true, false));
                 var r = bundle.function("serving_default").call(Map.of("images", x))) {
                float[] p = new float[24];
                ((TFloat32) r.get("probabilities").orElseThrow()).copyTo(DataBuffers.of(p, false, false));
                assertTrue(maxAbs(npy("train-init.probs.npy"), p) <= 1e-5, "the exported SavedModel: Keras' probabilities");
            }
            java.io.StringWriter summary = new java.io.StringWriter();
            assertEquals(0, dev.losslab.cli.Main.execute(new String[] {"summary", "--keras", file("train-init.keras").toString()},
                    new java.io.PrintWriter(summary, true), new java.io.PrintWriter(new java.io.StringWriter())));
            JsonNode counts = JSON.readTree(file("keras-files.json").toFile()).at("/counts/train-init");
            assertTrue(summary.toString().contains(String.format(java.util.Locale.ROOT, "Total params: %,d",
                    counts.get("total").asLong())), summary.toString());
            assertTrue(summary.toString().contains(String.format(java.util.Locale.ROOT, "Trainable params: %,d",
                    counts.get("trainable").asLong())), summary.toString());
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void aKerasFileWithoutWeightsOrWithWrongShapesIsOneLine() throws IOException {
        Path dir = Files.createTempDirectory("keras-bad");
        try {
            Path noWeights = dir.resolve("no-weights.keras");
            try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(noWeights))) {
                zip.putNextEntry(new java.util.zip.ZipEntry("config.json"));
                zip.write("{}".getBytes());
                zip.closeEntry();
            }
            assertTrue(assertThrows(LosslabException.class, () -> KerasModelFile.read(noWeights)).getMessage()
                    .endsWith("the archive has no model.weights.h5 (saved without weights?)"));
            Path notZip = dir.resolve("text.keras");
            Files.writeString(notZip, "not a zip");
            assertTrue(assertThrows(LosslabException.class, () -> KerasModelFile.read(notZip)).getMessage()
                    .contains("not a .keras archive"));
            KerasModelFile f = KerasModelFile.read(file("train-init.keras"));
            // the same file with the Dense kernel saved for 4 classes
            ResolvedNetwork net = ResolvedNetwork.resolve(f.network(), new InputShape(32, 32, 3), 3);
            Map<String, List<KerasModelFile.Variable>> vars = new java.util.LinkedHashMap<>(f.variables());
            String dense = vars.keySet().stream().filter(k -> k.startsWith("dense")).findFirst().orElseThrow();
            var kernel = vars.get(dense).get(0);
            vars.put(dense, List.of(new KerasModelFile.Variable(kernel.path(), new int[] {8, 4}, new float[32]),
                    vars.get(dense).get(1)));
            KerasModelFile tampered = new KerasModelFile(f.file(), f.network(), vars);
            String m = assertThrows(LosslabException.class, () -> tampered.parameters(net)).getMessage();
            assertTrue(m.endsWith("layer '" + dense + "' variable kernel has shape [8, 4] in the file but the network needs "
                    + "[8, 3]"), m);
        } finally {
            deleteTree(dir);
        }
    }
}
