package dev.losslab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import dev.losslab.cli.Main;
import dev.losslab.data.FashionMnist;
import dev.losslab.data.FashionMnistSource;
import dev.losslab.experiment.ExperimentConfig;
import dev.losslab.experiment.sweep.ExperimentRunner;
import dev.losslab.experiment.TrainingRun;
import dev.losslab.report.ObjectiveStudy.Score;
import dev.losslab.report.ObjectiveStudy.Verdict;
import dev.losslab.testing.TestData;
import dev.losslab.train.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-objective study: pairing and Holm on fixed scores, and a real tiny sweep re-tuned from its probability files. */
class ObjectiveStudyTest {
    @TempDir
    Path dir;

    private static Score s(String loss, String split, long seed, double tuned) {
        return new Score("set", split, loss, seed, "accuracy", tuned - 0.01, tuned, "grid", Double.NaN);
    }

    /** The head and tail table: the mean recall of the first and last three classes, per split and loss. */
    @Test
    void headAndTailClassesAreReportedForTenClasses() {
        double[] flat = {0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.3, 0.2, 0.1};
        double[] lifted = {0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.6, 0.5, 0.4};
        List<Score> scores = List.of(
                new Score("lt", "exp100", "crossentropy", 1, "balanced_accuracy", 0.7, 0.75, "tree", Double.NaN, flat, lifted),
                new Score("lt", "exp100", "crossentropy", 2, "balanced_accuracy", 0.7, 0.75, "tree", Double.NaN, flat, flat));
        StringBuilder md = new StringBuilder();
        ObjectiveReport.headTail(md, new ObjectiveStudy.Study(scores, List.of(), List.of(), 0, 0, List.of()), "lt",
                List.of("balanced_accuracy"), "crossentropy");
        String text = md.toString();
        assertTrue(text.contains("### head and tail classes, exp100, tuned for balanced accuracy"), text);
        // head argmax 0.9; head tuned (0.8 + 0.9) / 2; tail argmax 0.2; tail tuned (0.5 + 0.2) / 2
        assertTrue(text.contains("| crossentropy | 2 | 0.9000 | 0.8500 | 0.2000 | 0.3500 |"), text);
    }

    /** The per-split table: means per (split, loss) and differences paired with the baseline's tuned value per seed. */
    @Test
    void perSplitTablePairsWithTheBaselinesTunedValueWithinEachSplit() {
        List<Score> scores = List.of(
                new Score("lt", "exp100", "crossentropy", 1, "accuracy", 0.80, 0.84, "tree", Double.NaN),
                new Score("lt", "exp100", "crossentropy", 2, "accuracy", 0.82, 0.86, "tree", Double.NaN),
                new Score("lt", "exp100", "la", 1, "accuracy", 0.86, 0.85, "tree", Double.NaN),
                new Score("lt", "exp100", "la", 2, "accuracy", 0.88, 0.87, "tree", Double.NaN),
                new Score("lt", "exp10", "crossentropy", 1, "accuracy", 0.90, 0.91, "tree", Double.NaN),
                new Score("lt", "exp10", "la", 1, "accuracy", 0.93, 0.92, "tree", Double.NaN));
        StringBuilder md = new StringBuilder();
        ObjectiveReport.perSplit(md, new ObjectiveStudy.Study(scores, List.of(), List.of(), 0, 0, List.of()), "lt",
                List.of("accuracy"), "crossentropy");
        String text = md.toString();
        // exp100: la tuned minus CE tuned = +0.01 twice (half-width 0); la argmax minus CE tuned = +0.02 twice;
        // CE's own argmax minus tuned = -0.04 twice
        assertTrue(text.contains("| exp100 | crossentropy | 2 | 0.8100 | 0.8500 | baseline | -0.0400 +- 0.0000 |"), text);
        assertTrue(text.contains("| exp100 | la | 2 | 0.8700 | 0.8600 | +0.0100 +- 0.0000 | +0.0200 +- 0.0000 |"), text);
        assertTrue(text.contains("| exp10 | la | 1 | 0.9300 | 0.9200 | +0.0100 | +0.0200 |"), text);
        assertTrue(text.indexOf("| exp10 |") < text.indexOf("| exp100 |"), "splits in name order");
    }

    /** The per-method table: every tuning method's mean test value and how often validation chose it. */
    /**
     * Each split on its own: ten seeds where a method beats the baseline by 0.02 at ratio 100 on every seed give the
     * exact sign-flip p = 2/1024, Holm over the two methods of that split doubles the smaller p; at ratio 10 a method
     * that wins on five of ten seeds is not called; argmax is paired with the baseline's tuned value. Pooling two sweeps
     * keeps every (split, loss, seed) once and refuses one found in both; --losses narrows Holm's family.
     */
    @Test
    void eachSplitIsTestedOnItsOwnAndSweepsPoolIntoOneStudy() throws IOException {
        List<Score> scores = new ArrayList<>();
        for (int seed = 1; seed <= 10; seed++) {
            String sweep = seed <= 5 ? "lt" : "lt-power";
            double noise = seed * 0.001;
            scores.add(new Score(sweep, "exp100", "crossentropy", seed, "accuracy", 0.80, 0.82 + noise, "tree", Double.NaN));
            scores.add(new Score(sweep, "exp100", "crt", seed, "accuracy", 0.84 + noise, 0.84 + noise, "tree", Double.NaN));
            scores.add(new Score(sweep, "exp100", "focal", seed, "accuracy", 0.80, 0.82 + noise + (seed % 2 == 0 ? 0.01 : -0.01),
                    "tree", Double.NaN));
            scores.add(new Score(sweep, "exp10", "crossentropy", seed, "accuracy", 0.90, 0.91, "tree", Double.NaN));
            scores.add(new Score(sweep, "exp10", "crt", seed, "accuracy", 0.90, 0.91 + (seed % 2 == 0 ? 0.005 : -0.005), "tree",
                    Double.NaN));
            scores.add(new Score(sweep, "exp10", "focal", seed, "accuracy", 0.90, 0.91 + (seed % 2 == 0 ? 0.004 : -0.004), "tree",
                    Double.NaN));
        }
        ObjectiveStudy.Study study = new ObjectiveStudy.Study(scores, List.of(), List.of(), 0, 0, List.of());
        ObjectiveStudy.Study pooled = ObjectiveStudy.pool(study, "lt-all", List.of("accuracy"), "crossentropy");
        assertTrue(pooled.scores().stream().allMatch(x -> x.setting().equals("lt-all")));
        assertEquals(scores.size(), pooled.scores().size());
        List<Verdict> tuned = ObjectiveStudy.splitVerdicts(pooled, List.of("lt-all"), List.of("accuracy"), "crossentropy",
                Score::tuned);
        Verdict crt100 = tuned.stream().filter(v -> v.setting().equals("lt-all/exp100") && v.loss().equals("crt")).findFirst()
                .orElseThrow();
        assertEquals(10, crt100.pairs());
        assertEquals(0.02, crt100.meanDifference(), 1e-9);
        assertEquals(2.0 / 1024, crt100.p(), 1e-12);
        assertEquals(2 * 2.0 / 1024, crt100.holmP(), 1e-12, "Holm over crt and focal within exp100");
        Verdict crt10 = tuned.stream().filter(v -> v.setting().equals("lt-all/exp10") && v.loss().equals("crt")).findFirst()
                .orElseThrow();
        assertTrue(crt10.holmP() > 0.5, "five wins of ten at ratio 10 is no verdict: " + crt10);
        Verdict argmax = ObjectiveStudy.splitVerdicts(pooled, List.of("lt-all"), List.of("accuracy"), "crossentropy",
                Score::argmax).stream().filter(v -> v.setting().equals("lt-all/exp100") && v.loss().equals("crt")).findFirst()
                .orElseThrow();
        assertEquals(0.02, argmax.meanDifference(), 1e-9, "crt's argmax minus the baseline's tuned value");
        // narrowing the family to crt alone: Holm p equals p
        ObjectiveStudy.Study narrow = ObjectiveStudy.only(pooled, List.of("crt"), List.of("lt-all"), List.of("accuracy"),
                "crossentropy");
        Verdict alone = ObjectiveStudy.splitVerdicts(narrow, List.of("lt-all"), List.of("accuracy"), "crossentropy",
                Score::tuned).stream().filter(v -> v.setting().equals("lt-all/exp100") && v.loss().equals("crt")).findFirst()
                .orElseThrow();
        assertEquals(alone.p(), alone.holmP(), 1e-12);
        assertThrows(LosslabException.class, () -> ObjectiveStudy.only(pooled, List.of("ldam"), List.of("lt-all"),
                List.of("accuracy"), "crossentropy"));
        // the report leads with the per-split verdicts, the pooled ones after as the second view
        String md = ObjectiveReport.write(pooled, List.of("lt", "lt-power"), List.of("lt-all"), List.of("accuracy"),
                "crossentropy", dir.resolve("out"), true, null, null);
        assertTrue(md.contains("--pool lt-all --per-split"), md);
        assertTrue(md.indexOf("## Verdicts per split") < md.indexOf("## Verdicts pooled over splits"), md);
        assertTrue(md.contains("| lt-all/exp100 | crt | **+0.0200 (10), p 0.002, Holm 0.004** |"), md);
        // one (split, loss, seed) in two sweeps is counted once or refused
        List<Score> twice = new ArrayList<>(scores);
        twice.add(new Score("lt-power", "exp100", "crt", 1, "accuracy", 0.8, 0.8, "tree", Double.NaN));
        LosslabException e = assertThrows(LosslabException.class, () -> ObjectiveStudy.pool(
                new ObjectiveStudy.Study(twice, List.of(), List.of(), 0, 0, List.of()), "x", List.of("accuracy"), "crossentropy"));
        assertTrue(e.getMessage().contains("in both lt and lt-power"), e.getMessage());
    }

    @Test
    void aLossRunUnderTwoRecipesIsTakenFromTheSweepNamed() throws IOException {
        // soft_f1 under the study's recipe (lt, worse) and under the recipe chosen for it (lt-chosen, better), seeds 1-5
        List<Score> scores = new ArrayList<>();
        for (int seed = 1; seed <= 5; seed++) {
            scores.add(new Score("lt", "exp100", "crossentropy", seed, "accuracy", 0.80, 0.82, "tree", Double.NaN));
            scores.add(new Score("lt", "exp100", "soft_f1", seed, "accuracy", 0.70, 0.70, "tree", Double.NaN));
            scores.add(new Score("lt-chosen", "exp100", "soft_f1", seed, "accuracy", 0.85 + seed * 0.001, 0.85, "tree", Double.NaN));
        }
        ObjectiveStudy.Study study = new ObjectiveStudy.Study(scores, List.of(), List.of(), 0, 0, List.of());
        List<String> settings = List.of("lt", "lt-chosen");
        assertThrows(LosslabException.class, () -> ObjectiveStudy.pool(study, "all", List.of("accuracy"), "crossentropy"),
                "without --take the two recipes' runs collide");
        ObjectiveStudy.Study taken = ObjectiveStudy.take(study, java.util.Map.of("soft_f1", "lt-chosen"), settings,
                List.of("accuracy"), "crossentropy");
        assertEquals(10, taken.scores().size());
        assertTrue(taken.scores().stream().filter(x -> x.loss().equals("soft_f1")).allMatch(x -> x.setting().equals("lt-chosen")));
        ObjectiveStudy.Study pooled = ObjectiveStudy.pool(taken, "all", List.of("accuracy"), "crossentropy");
        Verdict v = ObjectiveStudy.splitVerdicts(pooled, List.of("all"), List.of("accuracy"), "crossentropy", Score::tuned)
                .stream().filter(x -> x.loss().equals("soft_f1")).findFirst().orElseThrow();
        assertEquals(5, v.pairs());
        assertEquals(0.03, v.meanDifference(), 1e-9, "the chosen recipe's runs, not the study recipe's");
        String md = ObjectiveReport.write(pooled, settings, List.of("all"), List.of("accuracy"), "crossentropy",
                dir.resolve("taken"), true, null, java.util.Map.of("soft_f1", "lt-chosen"));
        assertTrue(md.contains("--settings lt,lt-chosen --pool all --per-split --take soft_f1=lt-chosen --objectives accuracy"), md);
        LosslabException notASetting = assertThrows(LosslabException.class, () -> ObjectiveStudy.take(study,
                java.util.Map.of("soft_f1", "lt-other"), settings, List.of("accuracy"), "crossentropy"));
        assertTrue(notASetting.getMessage().contains("not one of --settings"), notASetting.getMessage());
        LosslabException noRuns = assertThrows(LosslabException.class, () -> ObjectiveStudy.take(study,
                java.util.Map.of("crossentropy", "lt-chosen"), settings, List.of("accuracy"), "crossentropy"));
        assertTrue(noRuns.getMessage().contains("no finished run of 'crossentropy' in lt-chosen"), noRuns.getMessage());
    }

    @Test
    void perMethodTableShowsEveryRuleAndTheChoice() {
        java.util.Map<String, Double> seed1 = new java.util.LinkedHashMap<>();
        seed1.put("argmax", 0.80);
        seed1.put("logit_adjustment", 0.86);
        seed1.put("relative", 0.85);
        java.util.Map<String, Double> seed2 = new java.util.LinkedHashMap<>();
        seed2.put("argmax", 0.82);
        seed2.put("logit_adjustment", 0.88);
        seed2.put("relative", 0.84);
        List<Score> scores = List.of(
                new Score("lt", "exp100", "crossentropy", 1, "balanced_accuracy", 0.80, 0.85, "relative", Double.NaN,
                        null, null, seed1),
                new Score("lt", "exp100", "crossentropy", 2, "balanced_accuracy", 0.82, 0.88, "logit_adjustment", Double.NaN,
                        null, null, seed2));
        StringBuilder md = new StringBuilder();
        ObjectiveReport.perMethod(md, new ObjectiveStudy.Study(scores, List.of(), List.of(), 0, 0, List.of()), "lt",
                List.of("balanced_accuracy"), "crossentropy");
        String text = md.toString();
        assertTrue(text.contains("| split | loss | argmax | logit_adjustment | relative | chosen rule |"), text);
        assertTrue(text.contains("| exp100 | crossentropy | 0.8100 | 0.8700 (1) | 0.8450 (1) | 0.8650 |"), text);
    }

    @Test
    void pairsEachLossWithTheBaselinePerSplitAndSeedAndAdjustsWithHolm() {
        List<Score> scores = new ArrayList<>();
        double[] ce = {0.90, 0.92, 0.94, 0.96};
        double[] bShift = {0.02, -0.01, 0.01, -0.02};
        for (int i = 0; i < 4; i++) {
            String split = i < 2 ? "80-20" : "90-10";
            long seed = 1 + i % 2;
            scores.add(s("crossentropy", split, seed, ce[i]));
            scores.add(s("a", split, seed, ce[i] + 0.01));
            scores.add(s("b", split, seed, ce[i] + bShift[i]));
            if (i != 3) {
                scores.add(s("c", split, seed, ce[i] - 0.03)); // one pair missing: c has 3 runs
            }
        }
        List<Verdict> v = ObjectiveStudy.verdicts(scores, List.of("set"), List.of("accuracy"), "crossentropy");
        assertEquals(4, v.size());
        Verdict base = v.stream().filter(x -> x.loss().equals("crossentropy")).findFirst().orElseThrow();
        assertEquals(0.93, base.tuned(), 1e-12);
        assertEquals(0.92, base.argmax(), 1e-12);
        assertTrue(Double.isNaN(base.p()));
        Verdict a = find(v, "a");
        Verdict b = find(v, "b");
        Verdict c = find(v, "c");
        assertEquals(4, a.pairs());
        assertEquals(0.01, a.meanDifference(), 1e-12);
        assertEquals(2.0 / 16, a.p(), 1e-12); // all four differences positive: only all-plus and all-minus reach it
        assertEquals(0.01, a.bootstrap()[0], 1e-12); // constant differences: every resample mean is 0.01
        assertEquals(0.01, a.bootstrap()[1], 1e-12);
        assertEquals(0.0, b.meanDifference(), 1e-12);
        assertEquals(1.0, b.p(), 1e-12);
        assertEquals(3, c.pairs());
        assertEquals(-0.03, c.meanDifference(), 1e-12);
        assertEquals(2.0 / 8, c.p(), 1e-12);
        double[] holm = PairedTests.holm(new double[] {a.p(), b.p(), c.p()});
        assertEquals(holm[0], a.holmP(), 1e-12);
        assertEquals(holm[1], b.holmP(), 1e-12);
        assertEquals(holm[2], c.holmP(), 1e-12);
        assertEquals(3 * 0.125, a.holmP(), 1e-12);
        assertEquals("no detectable difference", a.verdict());
    }

    private static Verdict find(List<Verdict> v, String loss) {
        return v.stream().filter(x -> x.loss().equals(loss)).findFirst().orElseThrow();
    }

    @Test
    void retunesARealSweepFromItsProbabilityFilesAndReproducesItsAccuracy() throws IOException {
        Path data = dir.resolve("data");
        TestData.writeSynthetic(data, 60, 20, 3);
        FashionMnist fm = new FashionMnistSource(TestData.quiet()).load(data);
        Path configFile = dir.resolve("tiny.json");
        Files.writeString(configFile, """
                {"name": "tiny", "classes": [3, 7], "distributions": [[0.8, 0.2]],
                 "losses": ["crossentropy", "weighted_crossentropy"], "epochs": 1, "batchSize": 16, "seeds": [1, 2],
                 "tuning": ["grid", "logit_adjustment"], "objective": "balanced_accuracy"}
                """);
        ExperimentConfig c = ExperimentConfig.load(configFile);
        Path results = dir.resolve("results");
        var env = new TrainingRun.Environment(data, Device.CPU, 1, true);
        new ExperimentRunner(TestData.quiet()).run(c, fm, new ExperimentRunner.Options(results.resolve("tiny"), false, null, env));

        List<String> objectives = ObjectiveStudy.OBJECTIVES;
        List<String> progress = new ArrayList<>();
        ObjectiveStudy.Study study = ObjectiveStudy.run(results, List.of("tiny"), objectives, "crossentropy", progress::add);
        assertEquals(4, study.checkedRuns());
        assertEquals(4, study.reproduced(), "re-tuning with the run's own objective gives the accuracy the runs recorded");
        assertEquals(12, study.scores().size());
        assertEquals(4, progress.size());
        assertEquals(2, study.calibration().size(), "calibration averaged per loss");
        var gain = study.gainVsCalibration();
        assertEquals(1, gain.size());
        assertEquals(4, gain.get(0).runs());
        double[] ece = study.scores().stream().filter(x -> x.objective().equals("accuracy")).mapToDouble(Score::testEce).toArray();
        double[] gained = study.scores().stream().filter(x -> x.objective().equals("accuracy"))
                .mapToDouble(x -> x.tuned() - x.argmax()).toArray();
        assertEquals(RankCorrelation.spearman(ece, gained), gain.get(0).rho(), 1e-12);
        for (String o : objectives) {
            Verdict w = study.verdicts().stream().filter(v -> v.objective().equals(o) && v.loss().equals("weighted_crossentropy"))
                    .findFirst().orElseThrow();
            double expected = 0;
            for (Score x : study.scores()) {
                if (x.objective().equals(o) && x.loss().equals("weighted_crossentropy")) {
                    Score ce = study.scores().stream().filter(y -> y.objective().equals(o) && y.loss().equals("crossentropy")
                            && y.seed() == x.seed() && y.split().equals(x.split())).findFirst().orElseThrow();
                    expected += (x.tuned() - ce.tuned()) / 2;
                }
            }
            assertEquals(2, w.pairs());
            assertEquals(expected, w.meanDifference(), 1e-12, o);
        }
        String md = ObjectiveReport.write(study, List.of("tiny"), objectives, "crossentropy", results.resolve("baselines"));
        assertTrue(md.contains("in 4 of 4 runs"), md);
        // the report says how many validation images per class each split's rules were tuned on
        assertTrue(md.contains("Validation images per class"), md);
        for (var e : study.validationCounts().entrySet()) {
            assertTrue(e.getKey().startsWith("tiny/"), e.getKey());
            assertTrue(md.contains("- " + e.getKey() + ": "), md);
        }
        assertTrue(!study.validationCounts().isEmpty());
        // three runs re-tuned at a time: the same report, every run heard once
        List<String> parallelProgress = java.util.Collections.synchronizedList(new ArrayList<>());
        ObjectiveStudy.Study parallel = ObjectiveStudy.run(results, List.of("tiny"), objectives, "crossentropy", 0, 3,
                parallelProgress::add);
        assertEquals(md, ObjectiveReport.write(parallel, List.of("tiny"), objectives, "crossentropy", dir.resolve("parallel")));
        assertEquals(4, parallelProgress.size());
        // chosen by cross-fitting instead: the runs' own check still passes, the report says how it chose
        ObjectiveStudy.Study crossFitted = ObjectiveStudy.run(results, List.of("tiny"), objectives, "crossentropy", 3, x -> { });
        assertEquals(4, crossFitted.reproduced());
        assertEquals(12, crossFitted.scores().size());
        String cf = ObjectiveReport.write(crossFitted, List.of("tiny"), objectives, "crossentropy", dir.resolve("cf"));
        assertTrue(cf.contains("--selection-folds 3`") && cf.contains("fitted on 2 of 3 stratified validation folds"), cf);
        assertTrue(md.contains("| tiny | weighted_crossentropy |"), md);
        assertEquals(13, Files.readAllLines(results.resolve("baselines/objectives.csv")).size());

        // results commit the probability files gzipped: the same study from .csv.gz files
        for (Path csv : List.of(results.resolve("tiny/runs/80-20-weighted_crossentropy-seed1/val-probabilities.csv"),
                results.resolve("tiny/runs/80-20-weighted_crossentropy-seed1/test-probabilities.csv"))) {
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(Path.of(csv + ".gz")))) {
                out.write(Files.readAllBytes(csv));
            }
            Files.delete(csv);
        }
        assertEquals(study.scores(), ObjectiveStudy.run(results, List.of("tiny"), objectives, "crossentropy", x -> { }).scores());
        // a corrupt .gz is a one-line error naming the file
        Path gz = results.resolve("tiny/runs/80-20-weighted_crossentropy-seed1/val-probabilities.csv.gz");
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var corrupt = assertThrows(LosslabException.class, () -> ObjectiveStudy.run(results, List.of("tiny"), objectives,
                "crossentropy", x -> { }));
        assertTrue(corrupt.getMessage().contains("val-probabilities.csv.gz") && !corrupt.getMessage().contains("\n"),
                corrupt.getMessage());
        Files.write(gz, bytes);

        // a run without its test probabilities is skipped and named
        Files.delete(results.resolve("tiny/runs/80-20-crossentropy-seed2/test-probabilities.csv"));
        ObjectiveStudy.Study partial = ObjectiveStudy.run(results, List.of("tiny"), objectives, "crossentropy", x -> { });
        assertEquals(List.of("tiny/80-20-crossentropy-seed2"), partial.skipped());
        assertEquals(1, find(partial.verdicts(), "weighted_crossentropy").pairs());
    }

    @Test
    void badSettingsAndObjectivesAreOneLineErrors() throws IOException {
        Files.createDirectories(dir.resolve("results/empty/runs"));
        String[][] cases = {
                {"--settings", "../etc"},
                {"--settings", "missing"},
                {"--settings", "empty"},
                {"--settings", "empty", "--objectives", "cost"},
                {"--settings", "empty", "--selection-folds", "1"},
                {"--settings", "empty", "--selection-folds", "-3"},
                {"--settings", "empty", "--jobs", "0"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("objectives", "--results", dir.resolve("results").toString(),
                    "--out", dir.resolve("out").toString()));
            args.addAll(List.of(c));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Main.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
            assertEquals(2, status, String.join(" ", c) + ": " + err);
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
            assertTrue(err.toString().startsWith("losslab: error:"), err.toString());
        }
        assertFalse(Files.exists(dir.resolve("out")), "nothing written on an error");
        var e = assertThrows(LosslabException.class, () -> ObjectiveStudy.run(dir.resolve("results"), List.of("empty"),
                List.of("accuracy"), "crossentropy", x -> { }));
        assertTrue(e.getMessage().contains("no finished runs"), e.getMessage());
    }
}
