package dev.losslab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.cli.Main;
import dev.losslab.data.FashionMnistSource;
import dev.losslab.data.PixelScaling;
import dev.losslab.data.PreparedData;
import dev.losslab.loss.Loss;
import dev.losslab.loss.LossRegistry;
import dev.losslab.metrics.Metrics;
import dev.losslab.data.InputShape;
import dev.losslab.network.Parameter;
import dev.losslab.recipe.Decoupling;
import dev.losslab.testing.TestData;
import dev.losslab.train.Device;
import dev.losslab.train.EpochRecord;
import dev.losslab.train.Trainer;
import dev.losslab.train.TrainingGraph;
import dev.losslab.train.TrainingOptions;
import dev.losslab.tune.TauNormalisation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kang et al. 2020's decoupling stages: tau-normalisation against a plain-Java reference (tau = 0 is argmax, the
 * rewritten classifier gives exactly z_k / ||w_k||^tau), cRT's frozen part bit-identical to the trained network, and
 * the four new methods of the long-tailed study as sweep labels, end to end.
 */
class DecouplingTest {
    @TempDir
    static Path dir;
    static Path data;
    static final String LAYERS = """
            {"layers": [
              {"Conv2D": {"name": "conv", "filters": 4, "kernel_size": 3, "padding": "same", "use_bias": false}},
              {"BatchNormalization": {"name": "bn"}},
              {"ReLU": {"name": "relu"}},
              {"GlobalAveragePooling2D": {"name": "pool"}},
              {"Dense": {"name": "logits", "units": 3, "activation": "softmax"}}]}""";

    @BeforeAll
    static void setUp() throws IOException {
        data = dir.resolve("data");
        TestData.writeSynthetic(data, 60, 20, 3);
    }

    /** The plain-Java reference: argmax_k z_k / ||w_k||^tau with the norms summed by hand. */
    static int[] reference(float[] z, float[] kernel, int d, int k, double tau) {
        double[] norm = new double[k];
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int i = 0; i < d; i++) {
                s += (double) kernel[i * k + c] * kernel[i * k + c];
            }
            norm[c] = Math.sqrt(s);
        }
        int n = z.length / k;
        int[] out = new int[n];
        for (int r = 0; r < n; r++) {
            double best = -Double.MAX_VALUE;
            for (int c = 0; c < k; c++) {
                double v = z[r * k + c] / Math.pow(norm[c], tau);
                if (v > best) {
                    best = v;
                    out[r] = c;
                }
            }
        }
        return out;
    }

    @Test
    void tauNormAgainstAPlainJavaReferenceAndTauZeroIsArgmax() {
        SplittableRandom r = new SplittableRandom(5);
        int d = 7;
        int k = 4;
        int n = 500;
        float[] kernel = new float[d * k];
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = (float) (r.nextGaussian() * (1 + (i % k))); // class k's weights grow with k, as a head class's do
        }
        float[] z = new float[n * k];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) r.nextGaussian() * 3;
        }
        double[] norms = TauNormalisation.classNorms(kernel, d, k);
        assertArrayEquals(Metrics.argmax(z, k), TauNormalisation.predict(z, norms, 0), "tau = 0 is argmax");
        for (double tau : new double[] {0, 0.35, 1, 1.7, 2}) {
            assertArrayEquals(reference(z, kernel, d, k, tau), TauNormalisation.predict(z, norms, tau), "tau " + tau);
        }
        int[] labels = reference(z, kernel, d, k, 1.0); // labels tau = 1 gets right: the search must find a tau near 1
        double chosen = TauNormalisation.choose(z, labels, norms, dev.losslab.metrics.Objective.ACCURACY);
        assertEquals(1.0, Metrics.accuracy(TauNormalisation.predict(z, norms, chosen), labels), 1e-12);
    }

    /** A 3-class config on the synthetic data, its prepared sets and a graph trained one epoch. */
    record Trained(RunConfig config, PreparedData sets, InputShape input, Loss loss, TrainingOptions options,
                   TrainingGraph graph, List<EpochRecord> history) {
    }

    static Trained trainOneEpoch() throws IOException {
        RunConfig config = RunConfig.JSON.readValue("""
                {"classes": [0, 3, 7], "distribution": [0.6, 0.3, 0.1], "loss": "crossentropy", "epochs": 1,
                 "batchSize": 16, "seed": 2, "optimizer": {"SGD": {"learning_rate": 0.1, "momentum": 0.9}},
                 "model": %s}""".formatted(LAYERS), RunConfig.class);
        var source = new FashionMnistSource(TestData.quiet()).load(data).toSourceData();
        PreparedData sets = PreparedData.prepare(source, config.dataSpec(), config.seed(), PixelScaling.UNIT);
        InputShape input = new InputShape(28, 28, 1);
        var net = config.model().resolve(input, 3);
        Loss loss = LossRegistry.create("crossentropy", config.lossParams(), sets.train().classCounts());
        var recipe = config.recipe();
        TrainingOptions options = new TrainingOptions(1, 16, recipe.optimizer().learningRate().initial(), 2, Device.CPU, 1, 0,
                false, config.precision(), recipe);
        TrainingGraph g = new TrainingGraph(config.model(), net, null, loss, options, sets.train().size());
        List<EpochRecord> history = new ArrayList<>(new Trainer(options, TestData.quiet()).fit(g, sets.train(),
                sets.validation()));
        return new Trained(config, sets, input, loss, options, g, history);
    }

    static Parameter find(List<Parameter> ps, String name) {
        return ps.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void tauNormalisationRewritesTheClassifierToZOverItsNormToTheTau() throws IOException {
        Trained t = trainOneEpoch();
        try (TrainingGraph g = t.graph()) {
            float[] z = g.logits(t.sets().validation(), 256);
            float[] kernel = find(g.parameters(), "logits/kernel").values();
            double[] norms = TauNormalisation.classNorms(kernel, kernel.length / 3, 3);
            double want = TauNormalisation.choose(z, t.sets().validation().labels(), norms, t.config().tuningObjective());
            var result = DecouplingStage.tauNormalise(t.config(), g, t.sets(), TestData.quiet());
            assertEquals(want, result.tau(), 0);
            float[] after = g.logits(t.sets().validation(), 256);
            double[] div = TauNormalisation.divisors(norms, want);
            for (int i = 0; i < z.length; i++) {
                assertEquals(z[i] / div[i % 3], after[i], 1e-5 + 1e-5 * Math.abs(z[i]), "logit " + i);
            }
            float[] p = g.probabilities(t.sets().validation(), 256);
            assertArrayEquals(Metrics.argmax(after, 3), Metrics.argmax(p, 3), "the model serves the normalised classifier");
            assertArrayEquals(TauNormalisation.predict(z, norms, want), Metrics.argmax(p, 3));
        }
    }

    @Test
    void crtKeepsEveryFeatureWeightAndStatisticBitForBitAndRetrainsTheClassifier() throws IOException {
        Trained t = trainOneEpoch();
        try (TrainingGraph g = t.graph()) {
            List<Parameter> before = g.parameters();
            var result = DecouplingStage.retrainClassifier(new Decoupling("crt", 2, 0.05), t.config(), t.input(), 3, g,
                    t.loss(), t.options(), t.sets(), t.history(), TestData.quiet(), null);
            try (TrainingGraph crt = result.graph()) {
                assertEquals(3, t.history().size(), "epochs numbered on: 1, then cRT's 2 and 3");
                assertEquals(3, t.history().get(2).epoch());
                List<Parameter> after = crt.parameters();
                assertEquals(before.size(), after.size());
                int frozen = 0;
                for (Parameter b : before) {
                    Parameter a = find(after, b.name());
                    if (b.name().startsWith("logits/")) {
                        assertFalse(java.util.Arrays.equals(b.values(), a.values()), b.name() + " was re-trained");
                    } else {
                        assertArrayEquals(b.values(), a.values(), 0f, b.name() + " is frozen, bit for bit");
                        frozen++;
                    }
                }
                assertTrue(frozen >= 5, "conv kernel, BN gamma, beta, moving mean and variance: " + frozen);
                assertEquals(3 * 4 + 3, crt.network().trainableParams(), "only the classifier trains");
            }
        }
    }

    @Test
    void theFourNewMethodsRunAsSweepLabels() throws IOException {
        Path sweep = dir.resolve("decoupling.json");
        String normed = LAYERS.replace("{\"Dense\": {\"name\": \"logits\", \"units\": 3, \"activation\": \"softmax\"}}",
                "{\"NormedDense\": {\"name\": \"logits\", \"units\": 3}}");
        Files.writeString(sweep, """
                {"name": "decoupling", "classes": [0, 3, 7], "imbalances": [{"type": "exp", "ratio": 10}],
                 "losses": ["crossentropy+crt", "crossentropy+tau_norm", "crossentropy_drw", "normed_crossentropy"],
                 "lossParams": {"crossentropy_drw": {"drwEpoch": 2}, "normed_crossentropy": {"drwEpoch": 2}},
                 "epochs": 2, "batchSize": 16, "seeds": [1],
                 "optimizer": {"SGD": {"learning_rate": 0.05, "momentum": 0.9}},
                 "decoupling": [{"method": "crt", "epochs": 1, "learningRate": 0.02}],
                 "tuning": ["tree", "relative"], "objective": "balanced_accuracy",
                 "model": %s, "lossModels": {"normed_crossentropy": %s}}
                """.formatted(LAYERS, normed));
        Path out = dir.resolve("sweep");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = Main.execute(new String[] {"experiment", "--config", sweep.toString(), "--out", out.toString(),
                "--data-dir", data.toString(), "--jobs", "1", "--no-tensorboard"}, new PrintWriter(o, true),
                new PrintWriter(e, true));
        assertEquals(0, status, e.toString());
        ObjectMapper json = new ObjectMapper();
        JsonNode crt = json.readTree(out.resolve("runs/exp10-crossentropy+crt-seed1/run.json").toFile());
        assertEquals("ok", crt.get("status").asText());
        assertEquals("crt", crt.at("/training/phases/1/name").asText());
        assertEquals(3, crt.at("/training/epochsRun").asInt(), "2 epochs, then 1 of cRT");
        assertEquals("crt", crt.at("/config/decoupling/method").asText());
        JsonNode tau = json.readTree(out.resolve("runs/exp10-crossentropy+tau_norm-seed1/run.json").toFile());
        assertNotNull(tau.at("/training/tau").numberValue(), tau.at("/training").toString());
        for (String m : List.of("crossentropy_drw", "normed_crossentropy")) {
            JsonNode r = json.readTree(out.resolve("runs/exp10-" + m + "-seed1/run.json").toFile());
            assertEquals("ok", r.get("status").asText(), m);
            assertEquals(m, r.at("/config/loss").asText());
        }
        String summary = Files.readString(out.resolve("summary.md"));
        for (String m : List.of("crossentropy+crt", "crossentropy+tau_norm", "crossentropy_drw", "normed_crossentropy")) {
            assertTrue(summary.contains("| " + m + " |"), m + " in " + summary);
        }
    }
}
