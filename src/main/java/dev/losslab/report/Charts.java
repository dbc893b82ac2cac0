package dev.losslab.report;

import dev.losslab.data.AtomicFiles;
import dev.losslab.util.TextFiles;
import dev.losslab.LosslabException;
import dev.losslab.experiment.ProbabilityCsv;
import dev.losslab.experiment.RunRecord;
import dev.losslab.train.EpochRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts from the sweeps under a results folder (XChart, headless): per setting and split,
 * tuned vs default test accuracy per loss with sd error bars; training curves (validation accuracy
 * and training loss per epoch, mean over seeds) per loss; and for binary runs, validation accuracy
 * against the decision threshold (seed 1, from the run's val-probabilities.csv when present).
 */
public final class Charts {
    private final PrintStream log;

    public Charts(PrintStream log) {
        this.log = log;
    }

    /** Loaded runs of one setting: split -> loss -> records over seeds, in id order. */
    static Map<String, Map<String, List<Path>>> runDirs(Path settingDir) throws IOException {
        Map<String, Map<String, List<Path>>> out = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(settingDir.resolve("runs"))) {
            for (Path d : dirs.sorted().toList()) {
                RunRecord r = RunRecord.read(d.resolve("run.json"));
                if (r == null || !"ok".equals(r.status())) {
                    continue;
                }
                String id = d.getFileName().toString();
                int at = id.indexOf("-" + r.config().method() + "-seed");
                if (at < 0) {
                    continue;
                }
                out.computeIfAbsent(id.substring(0, at), k -> new TreeMap<>())
                        .computeIfAbsent(r.config().method(), k -> new ArrayList<>()).add(d);
            }
        }
        return out;
    }

    /** Writes every chart for every setting under {@code results}; returns the files written. */
    public List<Path> plotAll(Path results, Path outDir) {
        return plotAll(results, outDir, null);
    }

    /** As {@link #plotAll(Path, Path)}, only for the settings whose folder name matches one of {@code settings} (globs; null: all). */
    public List<Path> plotAll(Path results, Path outDir, List<String> settingGlobs) {
        List<java.nio.file.PathMatcher> matchers = settingGlobs == null ? null : settingGlobs.stream()
                .map(g -> java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + g.trim())).toList();
        List<Path> written = new ArrayList<>();
        try (Stream<Path> settings = Files.list(results)) {
            Files.createDirectories(outDir);
            for (Path setting : settings.filter(p -> Files.isDirectory(p.resolve("runs")))
                    .filter(p -> matchers == null || matchers.stream().anyMatch(m -> m.matches(p.getFileName()))).sorted().toList()) {
                written.addAll(plotSetting(setting, outDir));
            }
        } catch (IOException e) {
            throw new LosslabException("cannot plot " + results + ": " + e.getMessage());
        }
        return written;
    }

    List<Path> plotSetting(Path settingDir, Path outDir) throws IOException {
        String setting = settingDir.getFileName().toString();
        List<Path> written = new ArrayList<>();
        var splits = runDirs(settingDir);
        Map<String, List<RunRecord>> allSplits = new TreeMap<>();
        for (var split : splits.entrySet()) {
            Map<String, List<RunRecord>> byLoss = new LinkedHashMap<>();
            for (var e : split.getValue().entrySet()) {
                byLoss.put(e.getKey(), e.getValue().stream().map(d -> RunRecord.read(d.resolve("run.json"))).toList());
                allSplits.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(byLoss.get(e.getKey()));
            }
            String base = setting + "-" + split.getKey();
            written.add(save(accuracyBars(setting, split.getKey(), byLoss), outDir.resolve(base + "-accuracy.png")));
            written.add(save(curves(setting, split.getKey(), byLoss, true), outDir.resolve(base + "-val-accuracy-curves.png")));
            written.add(save(curves(setting, split.getKey(), byLoss, false), outDir.resolve(base + "-train-loss-curves.png")));
            XYChart reliability = reliability(setting, split.getKey(), byLoss);
            if (reliability != null) {
                written.add(save(reliability, outDir.resolve(base + "-reliability.png")));
            }
            if (byLoss.values().iterator().next().get(0).config().classes().length == 2) {
                XYChart t = thresholdCurves(setting, split.getKey(), split.getValue());
                if (t != null) {
                    written.add(save(t, outDir.resolve(base + "-val-accuracy-vs-threshold.png")));
                }
            }
        }
        if (splits.size() > 1) {
            XYChart pooled = reliability(setting, "all splits", allSplits);
            if (pooled != null) {
                written.add(save(pooled, outDir.resolve(setting + "-reliability.png")));
            }
        }
        return written;
    }

    static CategoryChart accuracyBars(String setting, String split, Map<String, List<RunRecord>> byLoss) {
        // many losses: upright names (XChart drops labels that would overlap) on a taller chart
        boolean many = byLoss.size() > MANY_LOSSES;
        CategoryChart c = new CategoryChartBuilder().width(900).height(many ? 720 : 520)
                .title(setting + " " + split + ": test accuracy, mean +- sd over seeds")
                .xAxisTitle("loss").yAxisTitle("test accuracy").build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setXAxisLabelRotation(many ? 90 : 15);
        c.getStyler().setXAxisTickMarkSpacingHint(many ? 20 : 74); // XChart skips category ticks closer than this (74 px by default)
        c.getStyler().setYAxisDecimalPattern("0.000");
        List<String> losses = new ArrayList<>(byLoss.keySet());
        if (losses.remove("crossentropy")) { // the baseline first
            losses.add(0, "crossentropy");
        }
        double min = 1;
        for (String kind : List.of("tuned", "default")) {
            List<Double> mean = new ArrayList<>();
            List<Double> sd = new ArrayList<>();
            for (String loss : losses) {
                double[] v = byLoss.get(loss).stream().mapToDouble(r -> kind.equals("tuned")
                        ? r.test().tuned().accuracy() : r.test().defaultRule().accuracy()).toArray();
                mean.add(Comparison.mean(v));
                sd.add(Comparison.sd(v));
                min = Math.min(min, Comparison.mean(v) - Comparison.sd(v));
            }
            c.addSeries(kind.equals("tuned") ? tunedLabel(byLoss) : "default (0.5 / argmax)", losses, mean, sd);
        }
        c.getStyler().setYAxisMin(Math.max(0, Math.floor((min - 0.01) * 100) / 100));
        c.getStyler().setYAxisMax(1.0);
        return c;
    }

    /** More losses than this in one accuracy chart stand their names upright. */
    static final int MANY_LOSSES = 6;

    /** "tuned rule", naming the objective the runs tuned for when it is one other than accuracy. */
    static String tunedLabel(Map<String, List<RunRecord>> byLoss) {
        List<String> objectives = byLoss.values().stream().flatMap(List::stream).map(r -> r.config().objective())
                .distinct().toList();
        return objectives.size() == 1 && !objectives.get(0).equals("accuracy")
                ? "rule tuned for " + objectives.get(0).replace('_', ' ') : "tuned rule";
    }

    /** The fewest pooled test images a reliability bin needs to be drawn. */
    static final int MIN_BIN_COUNT = 20;

    /**
     * Reliability diagram of the test set: per loss, the accuracy against the mean confidence of each
     * top-label bin (15 equal-width bins), pooled over the seeds (bins weighted by their counts),
     * with the diagonal of perfect calibration; null when no run of the split recorded its bins. Bins
     * holding fewer than {@link #MIN_BIN_COUNT} pooled test images are left out: with near-perfect
     * classifiers most images sit in the top bin and a bin of three images draws a meaningless 0 or 1.
     */
    static XYChart reliability(String setting, String split, Map<String, List<RunRecord>> byLoss) {
        XYChart c = new XYChartBuilder().width(900).height(620)
                .title(setting + " " + split + ": test reliability, top label (bins >= " + MIN_BIN_COUNT + " images)")
                .xAxisTitle("confidence (largest probability)").yAxisTitle("accuracy").build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        c.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1}).setMarker(SeriesMarkers.NONE);
        boolean any = false;
        for (var e : byLoss.entrySet()) {
            double[] count = null;
            double[] conf = null;
            double[] acc = null;
            int runs = 0;
            for (RunRecord r : e.getValue()) {
                if (r.calibration() == null || r.calibration().testReliability() == null) {
                    continue;
                }
                runs++;
                var bins = r.calibration().testReliability();
                if (count == null) {
                    count = new double[bins.size()];
                    conf = new double[bins.size()];
                    acc = new double[bins.size()];
                }
                for (int b = 0; b < bins.size() && b < count.length; b++) {
                    count[b] += bins.get(b).count();
                    conf[b] += bins.get(b).count() * bins.get(b).confidence();
                    acc[b] += bins.get(b).count() * bins.get(b).accuracy();
                }
            }
            if (count == null) {
                continue;
            }
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int b = 0; b < count.length; b++) {
                if (count[b] >= MIN_BIN_COUNT) {
                    x.add(conf[b] / count[b]);
                    y.add(acc[b] / count[b]);
                }
            }
            // runs from before calibration was recorded have no bins: the legend says how many runs a curve pools
            c.addSeries(e.getKey() + (runs == e.getValue().size() ? "" : " (" + runs + " of " + e.getValue().size() + " runs)"),
                    x, y).setMarker(SeriesMarkers.CIRCLE);
            any = true;
        }
        return any ? c : null;
    }

    static XYChart curves(String setting, String split, Map<String, List<RunRecord>> byLoss, boolean valAccuracy) {
        XYChart c = new XYChartBuilder().width(1150).height(520)
                .title(setting + " " + split + ": " + (valAccuracy ? "validation accuracy" : "training loss")
                        + " per epoch, mean over seeds")
                .xAxisTitle("epoch").yAxisTitle(valAccuracy ? "validation accuracy" : "training loss (each loss on its own scale)")
                .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE); // never over a curve, however many losses
        for (var e : byLoss.entrySet()) {
            int epochs = e.getValue().stream().mapToInt(r -> r.history().size()).min().orElse(0);
            double[] x = new double[epochs];
            double[] y = new double[epochs];
            for (int i = 0; i < epochs; i++) {
                x[i] = i + 1;
                final int at = i;
                y[i] = e.getValue().stream().mapToDouble(r -> {
                    EpochRecord h = r.history().get(at);
                    return valAccuracy ? h.valAccuracy() : h.trainLoss();
                }).average().orElse(Double.NaN);
            }
            if (epochs > 0) {
                c.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        return c;
    }

    /** Validation accuracy at thresholds 0, 0.01, ..., 1 for seed 1 of each loss; null when no CSV is present. */
    XYChart thresholdCurves(String setting, String split, Map<String, List<Path>> dirsByLoss) {
        XYChart c = new XYChartBuilder().width(1150).height(520)
                .title(setting + " " + split + ": validation accuracy vs threshold (first seed; y axis cut at the plateau)")
                .xAxisTitle("threshold on p1").yAxisTitle("validation accuracy").build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setMarkerSize(0);
        c.getStyler().setXAxisDecimalPattern("0.0");
        c.getStyler().setYAxisDecimalPattern("0.000");
        boolean any = false;
        double lowest = 1;
        double lowestPeak = 1;
        for (var e : dirsByLoss.entrySet()) {
            Path csv = TextFiles.plainOrGzipped(e.getValue().get(0), "val-probabilities.csv");
            if (!Files.isRegularFile(csv)) {
                log.println("note: " + csv + " is absent (results commit probability CSVs only gzipped, and only for "
                        + "some sweeps); skipping its threshold curve");
                continue;
            }
            ProbabilityCsv.Table t = ProbabilityCsv.read(csv);
            double[] x = new double[101];
            double[] y = new double[101];
            for (int i = 0; i <= 100; i++) {
                x[i] = i / 100.0;
                int hit = 0;
                for (int j = 0; j < t.labels().length; j++) {
                    int pred = t.probabilities()[2 * j + 1] >= x[i] ? 1 : 0;
                    hit += pred == t.labels()[j] ? 1 : 0;
                }
                y[i] = (double) hit / t.labels().length;
            }
            c.addSeries(e.getKey(), x, y);
            double peak = 0;
            for (int i = 0; i <= 100; i++) {
                peak = Math.max(peak, y[i]);
                lowest = i >= 5 && i <= 95 ? Math.min(lowest, y[i]) : lowest;
            }
            lowestPeak = Math.min(lowestPeak, peak);
            any = true;
        }
        // the interesting range is the plateau between the extremes, where thresholds compete; a loss whose curve
        // dips far below every peak (a collapsed or badly calibrated model) is cut 0.05 under the lowest peak
        double yMin = Math.max(lowest - 0.005, lowestPeak - 0.05);
        c.getStyler().setYAxisMin(Math.max(0, Math.floor(yMin * 200) / 200));
        c.getStyler().setYAxisMax(1.0);
        return any ? c : null;
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp.png");
        BitmapEncoder.saveBitmap(chart, Files.newOutputStream(tmp), BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.move(tmp, file);
        return file;
    }
}
