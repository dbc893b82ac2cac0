package dev.losslab.report;

import dev.losslab.experiment.RunRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.losslab.testing.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plot on a hand-made results folder: every chart is written and is a readable PNG of the expected size. */
class ChartsTest {
    @TempDir
    Path dir;

    @Test
    void writesReadablePngs() throws IOException {
        System.setProperty("java.awt.headless", "true");
        for (String loss : List.of("crossentropy", "soft_f1")) {
            for (int seed = 1; seed <= 2; seed++) {
                Path run = dir.resolve("results/binary/runs/90-10-" + loss + "-seed" + seed);
                Files.createDirectories(run);
                Files.writeString(run.resolve("run.json"), String.format(Locale.ROOT, """
                        {"status": "ok", "config": {"classes": [0, 1], "distribution": [0.9, 0.1], "loss": "%s", "seed": %d},
                         "history": [{"epoch": 1, "trainLoss": 0.3, "valLoss": 0.2, "valAccuracy": 0.95},
                                     {"epoch": 2, "trainLoss": 0.1, "valLoss": 0.1, "valAccuracy": 0.97}],
                         "test": {"auc": 0.99, "defaultRule": {"accuracy": 0.96, "balancedAccuracy": 0.9, "f1": 0.9},
                                  "tuned": {"accuracy": %s, "balancedAccuracy": 0.9, "f1": 0.9}}%s}
                        """, loss, seed, 0.97 + seed * 0.005, loss.equals("crossentropy") ? """
                        , "calibration": {"testReliability": [
                            {"lower": 0.5, "upper": 0.75, "count": 10, "confidence": 0.6, "accuracy": 0.5},
                            {"lower": 0.75, "upper": 1.0, "count": 90, "confidence": 0.95, "accuracy": 0.97}]}""" : ""));
                Files.writeString(run.resolve("val-probabilities.csv"), "label,p0,p1\n0,0.9,0.1\n1,0.3,0.7\n0,0.6,0.4\n");
            }
        }
        List<Path> files = new Charts(TestData.quiet()).plotAll(dir.resolve("results"), dir.resolve("graphs"));
        // accuracy bars, two curves, the reliability diagram (only crossentropy recorded bins), threshold curves
        assertEquals(5, files.size(), files.toString());
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertNotNull(img, f.toString());
            String name = f.getFileName().toString();
            if (name.endsWith("-reliability.png")) {
                assertEquals(900, img.getWidth());
                assertEquals(620, img.getHeight());
                continue;
            }
            // bar charts keep their legend below (900 wide); curve charts put it to the right (1150 wide)
            assertEquals(name.endsWith("-accuracy.png") ? 900 : 1150, img.getWidth(), f.toString());
            assertEquals(520, img.getHeight());
        }
    }

    /** The bars' legend names the objective the runs were tuned for when it is not accuracy (the long-tailed study). */
    @Test
    void accuracyBarsNameTheTuningObjective() throws IOException {
        var recs = new java.util.LinkedHashMap<String, List<dev.losslab.experiment.RunRecord>>();
        for (String objective : List.of("accuracy", "balanced_accuracy")) {
            Path run = Files.createDirectories(dir.resolve(objective));
            Files.writeString(run.resolve("run.json"), """
                    {"status": "ok", "config": {"classes": [0, 1, 2], "loss": "crossentropy", "seed": 1, "objective": "%s"},
                     "test": {"auc": 0.99, "defaultRule": {"accuracy": 0.80, "balancedAccuracy": 0.8, "f1": 0.8},
                              "tuned": {"accuracy": 0.85, "balancedAccuracy": 0.85, "f1": 0.85}}}
                    """.formatted(objective));
            recs.put("crossentropy", List.of(dev.losslab.experiment.RunRecord.read(run.resolve("run.json"))));
            var chart = Charts.accuracyBars("lt", "exp100", recs);
            String tuned = objective.equals("accuracy") ? "tuned rule" : "rule tuned for balanced accuracy";
            assertNotNull(chart.getSeries(tuned), tuned);
            assertEquals(0.85, chart.getSeries(tuned).getYData()[0], 1e-12);
        }
        // eleven losses, as the long-tailed study: a taller chart, cross-entropy's bars first
        var many = new java.util.TreeMap<String, List<dev.losslab.experiment.RunRecord>>();
        for (String loss : List.of("a", "b", "crossentropy", "d", "e", "f", "g", "h", "i", "j", "k")) {
            many.put(loss, recs.get("crossentropy"));
        }
        var chart = Charts.accuracyBars("lt", "exp100", many);
        assertEquals(720, chart.getHeight());
        assertEquals("crossentropy", chart.getSeries("rule tuned for balanced accuracy").getXData().iterator().next());
    }

    @Test
    void reliabilityPoolsSeedsAndSplitsAndDropsSparseBins() throws IOException {
        System.setProperty("java.awt.headless", "true");
        for (String split : List.of("90-10", "80-20")) {
            for (int seed = 1; seed <= 2; seed++) {
                Path run = dir.resolve("results/cal/runs/" + split + "-crossentropy-seed" + seed);
                Files.createDirectories(run);
                Files.writeString(run.resolve("run.json"), String.format(Locale.ROOT, """
                        {"status": "ok", "config": {"classes": [0, 1], "loss": "crossentropy", "seed": %d},
                         "history": [{"epoch": 1, "trainLoss": 0.3, "valLoss": 0.2, "valAccuracy": 0.95}],
                         "test": {"auc": 0.99, "defaultRule": {"accuracy": 0.96, "balancedAccuracy": 0.9, "f1": 0.9},
                                  "tuned": {"accuracy": 0.97, "balancedAccuracy": 0.9, "f1": 0.9}},
                         "calibration": {"testReliability": [
                            {"lower": 0.5, "upper": 0.6, "count": 2, "confidence": 0.55, "accuracy": 0.0},
                            {"lower": 0.6, "upper": 0.8, "count": 5, "confidence": 0.7, "accuracy": %s},
                            {"lower": 0.8, "upper": 1.0, "count": 90, "confidence": 0.95, "accuracy": 0.97}]}}
                        """, seed, seed == 1 ? "0.6" : "1.0"));
            }
        }
        List<Path> files = new Charts(TestData.quiet()).plotAll(dir.resolve("results"), dir.resolve("graphs"));
        List<String> names = files.stream().map(f -> f.getFileName().toString()).filter(n -> n.contains("reliability")).sorted().toList();
        assertEquals(List.of("cal-80-20-reliability.png", "cal-90-10-reliability.png", "cal-reliability.png"), names);

        var recs = new java.util.LinkedHashMap<String, List<dev.losslab.experiment.RunRecord>>();
        try (var dirs = Files.list(dir.resolve("results/cal/runs"))) {
            recs.put("crossentropy", dirs.sorted().map(d -> dev.losslab.experiment.RunRecord.read(d.resolve("run.json")))
                    .toList());
        }
        // pooled over 2 splits x 2 seeds: the 0.5-0.6 bin has 8 images (dropped), 0.6-0.8 has 20 (kept), the top 360
        var series = Charts.reliability("cal", "all splits", recs).getSeries("crossentropy");
        double[] x = series.getXData();
        double[] y = series.getYData();
        assertEquals(2, x.length);
        assertEquals(0.7, x[0], 1e-12);
        assertEquals(0.8, y[0], 1e-12, "count-weighted: (10 * 0.6 + 10 * 1.0) / 20");
        assertEquals(0.97, y[1], 1e-12);

        // a loss whose older runs predate calibration: the legend names how many runs the curve pools
        var withOld = new ArrayList<>(recs.get("crossentropy"));
        withOld.add(new dev.losslab.experiment.RunRecord("ok", null, null, null, 1, null, null, null, null, null, null, 0, 0,
                null, null, null, null, null, null, null));
        recs.put("crossentropy", withOld);
        assertNotNull(Charts.reliability("cal", "all splits", recs).getSeries("crossentropy (4 of 5 runs)"));
    }
}
