package dev.losslab.experiment.sweep;

import dev.losslab.experiment.TrainingRun;
import dev.losslab.experiment.ExperimentConfig;
import dev.losslab.experiment.RunRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import dev.losslab.data.FashionMnist;
import dev.losslab.data.FashionMnistSource;
import dev.losslab.testing.TestData;
import dev.losslab.train.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep runner on a tiny config (2 runs, 1 epoch, synthetic data): outputs, resume, crash recovery, validation. */
class ExperimentRunnerTest {
    @TempDir
    Path dir;

    private static final String TINY = """
            {"name": "tiny", "classes": [3, 7], "distributions": [[0.8, 0.2]], "losses": ["crossentropy", "soft_f1"],
             "epochs": 1, "batchSize": 16, "seeds": [1]}
            """;

    private ExperimentConfig config(String json) throws IOException {
        Path f = dir.resolve("config-" + Math.abs(json.hashCode()) + ".json");
        Files.writeString(f, json);
        return ExperimentConfig.load(f);
    }

    @Test
    void theEtaFollowsEveryWorkersPaceNotOnlyThisOnes() {
        // two workers, 20 minutes in, 4 runs landed between them (2 each), 10 left: 50 minutes, not the 100 a
        // worker's own 2 runs in 20 minutes would say
        assertEquals("50m00s", ExperimentRunner.eta(1200, 4, 10));
        assertEquals("?", ExperimentRunner.eta(1200, 0, 10), "nothing landed yet: no pace");
        assertEquals("0s", ExperimentRunner.eta(1200, 3, 0));
    }

    @Test
    void runsResumesAndRedoesACrashedRun() throws IOException {
        Path data = dir.resolve("data");
        TestData.writeSynthetic(data, 60, 20, 3);
        FashionMnist fm = new FashionMnistSource(TestData.quiet()).load(data);
        ExperimentConfig c = config(TINY);
        Path out = dir.resolve("out");
        var env = new TrainingRun.Environment(data, Device.CPU, 2, true);
        var runner = new ExperimentRunner(TestData.quiet());

        var first = runner.run(c, fm, new ExperimentRunner.Options(out, false, null, env));
        assertEquals(new ExperimentRunner.Outcome(2, 0, 2, 0), first);
        for (String id : List.of("80-20-crossentropy-seed1", "80-20-soft_f1-seed1")) {
            RunRecord rec = RunRecord.read(out.resolve("runs").resolve(id).resolve("run.json"));
            assertNotNull(rec, id);
            assertEquals("ok", rec.status());
            assertTrue(rec.test().tuned().accuracy() > 0.5);
        }
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(3, summary.size(), summary.toString());
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| 80-20 | soft_f1 |"));
        // calibration columns: the run's own test NLL and ECE (one seed: mean = the value, sd 0)
        List<String> header = List.of(summary.get(0).split(","));
        RunRecord ce = RunRecord.read(out.resolve("runs/80-20-crossentropy-seed1/run.json"));
        String[] ceRow = summary.stream().filter(l -> l.startsWith("80-20,crossentropy,")).findFirst().orElseThrow()
                .replaceAll("\"[^\"]*\"", "choice").split(",", -1);
        assertEquals(header.size(), ceRow.length, summary.toString());
        assertEquals(ce.calibration().testNll(), Double.parseDouble(ceRow[header.indexOf("nll_mean")]), 1e-4);
        assertEquals(ce.calibration().testEce(), Double.parseDouble(ceRow[header.indexOf("ece_mean")]), 1e-4);
        assertEquals(ce.calibration().testEceScaled(), Double.parseDouble(ceRow[header.indexOf("ece_scaled_mean")]), 1e-4);
        assertEquals(0.0, Double.parseDouble(ceRow[header.indexOf("brier_sd")]));
        double[] recall = ce.calibration().testRecallPerClass();
        assertEquals(String.format(java.util.Locale.ROOT, "%.3f;%.3f", recall[0], recall[1]),
                ceRow[header.indexOf("recall_per_class")]);

        // without --resume, finished runs are not overwritten
        var e = assertThrows(LosslabException.class, () -> runner.run(c, fm, new ExperimentRunner.Options(out, false, null, env)));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());

        // resume skips both
        assertEquals(new ExperimentRunner.Outcome(2, 2, 0, 0),
                runner.run(c, fm, new ExperimentRunner.Options(out, true, null, env)));

        // a run killed mid-way: no run.json, a temp file and half a model left behind -> cleaned and redone
        Path crashed = out.resolve("runs").resolve("80-20-soft_f1-seed1");
        Files.delete(crashed.resolve("run.json"));
        Files.writeString(crashed.resolve(".run.json.12345.tmp"), "{\"status\": \"o");
        Files.createDirectories(crashed.resolve(".model.tmp-999/variables"));
        assertEquals(new ExperimentRunner.Outcome(2, 1, 1, 0),
                runner.run(c, fm, new ExperimentRunner.Options(out, true, null, env)));
        assertFalse(Files.exists(crashed.resolve(".run.json.12345.tmp")));
        assertFalse(Files.exists(crashed.resolve(".model.tmp-999")));
        assertEquals("ok", RunRecord.read(crashed.resolve("run.json")).status());

        // a corrupt run.json counts as unfinished too
        Files.writeString(crashed.resolve("run.json"), "{not json");
        assertEquals(new ExperimentRunner.Outcome(2, 1, 1, 0),
                runner.run(c, fm, new ExperimentRunner.Options(out, true, null, env)));

        // --only picks runs by glob
        assertEquals(new ExperimentRunner.Outcome(1, 1, 0, 0),
                runner.run(c, fm, new ExperimentRunner.Options(out, true, "*-soft_f1-*", env)));
    }

    @Test
    void invalidConfigsFailBeforeAnyTrainingWithOneLine() {
        String[][] cases = {
                {TINY.replace("\"soft_f1\"", "\"softf1\""), "unknown loss 'softf1'"},
                {TINY.replace("[[0.8, 0.2]]", "[[0.8, 0.3]]"), "sums to"},
                {TINY.replace("[3, 7]", "[3, 10]"), "outside 0..9"},
                {TINY.replace("\"distributions\": [[0.8, 0.2]]", "\"keepFractions\": [[0.5, 1.5]]"), "outside (0,1]"},
                {TINY.replace("[\"crossentropy\", \"soft_f1\"]", "[]"), "losses: empty list"},
                {TINY.replace("[[0.8, 0.2]]", "[]"), "distributions: empty list"},
                {TINY.replace("\"seeds\": [1]", "\"seeds\": [1], \"tuning\": [\"magic\"]"), "unknown tuning method 'magic'"},
                {TINY.replace("\"seeds\": [1]", "\"seeds\": [1], \"tuning\": [\"absolute\"]"), "does not apply to 2 classes"},
                {TINY.replace("\"seeds\": [1]", "\"seeds\": [1], \"seed\": 4"), "unknown field 'seed'"},
        };
        for (String[] c : cases) {
            var e = assertThrows(LosslabException.class, () -> config(c[0]), c[1]);
            assertTrue(e.getMessage().contains(c[1]), c[1] + " <- " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void shippedConfigsAreValidAndHaveTheNotebooksShape() {
        // the headline settings on five seeds (the notebook's four losses)
        assertEquals(4 * 4 * 5, ExperimentConfig.load(Path.of("configs/binary.json")).runs().size());
        assertEquals(4 * 4 * 5, ExperimentConfig.load(Path.of("configs/three-class.json")).runs().size());
        // ten-class has one split, so seeds are its only pairs: 8 make p = 2 / 2^8 reachable under Holm over 3 or 6 losses
        assertEquals(4 * 8, ExperimentConfig.load(Path.of("configs/ten-class.json")).runs().size());
        assertEquals(120, ExperimentConfig.load(Path.of("configs/papers.json")).runs().size());
        assertEquals(2, ExperimentConfig.load(Path.of("configs/quickstart.json")).runs().size());
        assertEquals(24, ExperimentConfig.load(Path.of("configs/three-class-20-epochs.json")).runs().size());
        assertEquals(6, ExperimentConfig.load(Path.of("configs/ten-class-20-epochs.json")).runs().size());
        assertEquals(12, ExperimentConfig.load(Path.of("configs/three-class-crammer-singer.json")).runs().size());
        assertEquals(48, ExperimentConfig.load(Path.of("configs/three-class-course-fit.json")).runs().size());
        // the notebook's network by default; the -valid variants hold the earlier valid-padding runs
        for (String name : new String[] {"binary", "three-class", "ten-class", "papers", "three-class-20-epochs",
                "ten-class-20-epochs"}) {
            var same = ExperimentConfig.load(Path.of("configs/" + name + ".json")).runs();
            var valid = ExperimentConfig.load(Path.of("configs/" + name + "-valid.json")).runs();
            // the valid-padding runs kept seeds 1-3 where the headline settings went on to five
            assertEquals(same.stream().filter(r -> r.config().seed() <= 3).count(), valid.size(), name);
            assertEquals(dev.losslab.network.ModelSpec.NOTEBOOK, same.get(0).config().model(), name);
            assertEquals(dev.losslab.network.ModelSpec.VALID, valid.get(0).config().model(), name);
            assertEquals(same.get(0).id(), valid.get(0).id(), name);
        }
        // the field's standard methods: six losses plus cross-entropy, five seeds
        assertEquals(4 * 7 * 5, ExperimentConfig.load(Path.of("configs/baselines-binary.json")).runs().size());
        assertEquals(4 * 7 * 5, ExperimentConfig.load(Path.of("configs/baselines-three-class.json")).runs().size());
        assertEquals(7 * 8, ExperimentConfig.load(Path.of("configs/baselines-ten-class.json")).runs().size());
        assertEquals(24, ExperimentConfig.load(Path.of("configs/binary-bf16.json")).runs().size());
        var cs = ExperimentConfig.load(Path.of("configs/ten-class-crammer-singer.json")).runs().get(0).config();
        assertEquals("crammer_singer", cs.lossParams().get("multiclass"));
    }
}
