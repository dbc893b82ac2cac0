package dev.losslab.experiment;

import dev.losslab.metrics.Calibration;
import dev.losslab.LosslabException;
import dev.losslab.data.AtomicFiles;
import dev.losslab.tune.BinaryThresholdRule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The sweep's tables in the notebook's shape (split, loss, best threshold or method, tuned accuracy,
 * default accuracy) plus balanced accuracy, F1 (binary: class 1; multiclass: macro) and AUC of the
 * tuned rule, each as mean +- sample sd over the seeds that finished, and the calibration of the raw
 * test probabilities (NLL, Brier score, top-label ECE with 15 bins, and ECE after temperature scaling
 * fitted on validation; see {@link Calibration}) and the mean test recall per class under the
 * tuned rule where the runs recorded them:
 * {@code summary.csv} and {@code summary.md}.
 */
public final class Summary {
    private Summary() {
    }

    /** One row: a (split, loss) pair over its seeds. */
    public record Row(String split, String loss, int runs, int failed, String choice, double[] tuned, double[] defaults,
                      double[] balanced, double[] f1, double[] auc, double[] nll, double[] brier, double[] ece,
                      double[] eceScaled, double[] recallPerClass) {
    }

    public static List<Row> rows(Path out, List<ExperimentConfig.Run> runs) {
        Map<String, List<RunRecord>> ok = new LinkedHashMap<>();
        Map<String, Integer> failed = new LinkedHashMap<>();
        Map<String, String[]> keys = new LinkedHashMap<>();
        for (ExperimentConfig.Run r : runs) {
            String key = r.split() + "|" + r.loss();
            keys.putIfAbsent(key, new String[] {r.split(), r.loss()});
            ok.putIfAbsent(key, new ArrayList<>());
            failed.putIfAbsent(key, 0);
            RunRecord rec = RunRecord.read(SafeName.inside(out.resolve("runs"), r.id()).resolve("run.json"));
            if (rec == null) {
                continue;
            }
            if ("ok".equals(rec.status())) {
                ok.get(key).add(rec);
            } else {
                failed.merge(key, 1, Integer::sum);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (var e : keys.entrySet()) {
            List<RunRecord> recs = ok.get(e.getKey());
            if (recs.isEmpty() && failed.get(e.getKey()) == 0) {
                continue;
            }
            rows.add(new Row(e.getValue()[0], e.getValue()[1], recs.size(), failed.get(e.getKey()), choice(recs),
                    stats(recs, r -> r.test().tuned().accuracy()), stats(recs, r -> r.test().defaultRule().accuracy()),
                    stats(recs, r -> r.test().tuned().balancedAccuracy()), stats(recs, r -> r.test().tuned().f1()),
                    stats(recs, r -> r.test().auc()), calibration(recs, RunRecord.CalibrationMetrics::testNll),
                    calibration(recs, RunRecord.CalibrationMetrics::testBrier),
                    calibration(recs, RunRecord.CalibrationMetrics::testEce),
                    calibration(recs, RunRecord.CalibrationMetrics::testEceScaled), recallPerClass(recs)));
        }
        return rows;
    }

    /** Binary: the mean tuned threshold; multiclass: how often each method was chosen on validation. */
    static String choice(List<RunRecord> recs) {
        if (recs.isEmpty()) {
            return "-";
        }
        if (recs.get(0).config().classes().length == 2) {
            double[] t = stats(recs, r -> r.rule() instanceof BinaryThresholdRule b ? b.threshold() : 0.5);
            return recs.size() > 1 ? String.format(Locale.ROOT, "%.3f +- %.3f", t[0], t[1]) : String.format(Locale.ROOT, "%.3f", t[0]);
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (RunRecord r : recs) {
            counts.merge(r.tuning().chosen(), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(c ->
                sb.append(sb.length() == 0 ? "" : ", ").append(c.getKey()).append(" (").append(c.getValue()).append(')'));
        return sb.toString();
    }

    /** {@link #stats} over the runs that recorded calibration (runs from before it was recorded have none). */
    static double[] calibration(List<RunRecord> recs, ToDoubleFunction<RunRecord.CalibrationMetrics> f) {
        return stats(recs.stream().filter(r -> r.calibration() != null).toList(), r -> f.applyAsDouble(r.calibration()));
    }

    /** Mean test recall of each class under the tuned rule over the runs that recorded it; empty when none did. */
    static double[] recallPerClass(List<RunRecord> recs) {
        List<double[]> r = recs.stream().filter(x -> x.calibration() != null && x.calibration().testRecallPerClass() != null)
                .map(x -> x.calibration().testRecallPerClass()).toList();
        if (r.isEmpty()) {
            return new double[0];
        }
        double[] mean = new double[r.get(0).length];
        for (double[] v : r) {
            for (int k = 0; k < mean.length && k < v.length; k++) {
                mean[k] += v[k] / r.size();
            }
        }
        return mean;
    }

    private static String recalls(double[] v, String sep) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
            sb.append(sb.length() == 0 ? "" : sep).append(String.format(Locale.ROOT, "%.3f", x));
        }
        return sb.length() == 0 ? "-" : sb.toString();
    }

    /** {mean, sample sd (0 for one value), n}. */
    static double[] stats(List<RunRecord> recs, ToDoubleFunction<RunRecord> f) {
        int n = recs.size();
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN, 0};
        }
        double mean = recs.stream().mapToDouble(f).average().orElse(Double.NaN);
        double ss = recs.stream().mapToDouble(f).map(v -> (v - mean) * (v - mean)).sum();
        return new double[] {mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n};
    }

    /**
     * {@link #write} under {@code out/.summary.lock} (created exclusively; one taken more than a
     * minute ago is treated as left by a dead writer), so concurrent workers never interleave, and the
     * last writer reads every run.json written before it.
     */
    public static void writeLocked(Path out, ExperimentConfig config, List<ExperimentConfig.Run> runs, Path configFile) {
        Path lock = out.resolve(".summary.lock");
        long deadline = System.nanoTime() + 120_000_000_000L;
        try {
            java.nio.file.Files.createDirectories(out);
            while (true) {
                try {
                    java.nio.file.Files.createFile(lock);
                    break;
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    try {
                        if (java.nio.file.Files.getLastModifiedTime(lock).toInstant()
                                .isBefore(java.time.Instant.now().minusSeconds(60))) {
                            java.nio.file.Files.deleteIfExists(lock);
                            continue;
                        }
                    } catch (java.nio.file.NoSuchFileException gone) {
                        continue;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new LosslabException("cannot write the summary: " + lock + " is held; remove it if no sweep is running");
                    }
                    Thread.sleep(50);
                }
            }
        } catch (IOException e) {
            throw new LosslabException("cannot lock the summary in " + out + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LosslabException("interrupted while waiting for the summary lock in " + out);
        }
        try {
            write(out, config, runs, configFile);
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(lock);
            } catch (IOException ignored) {
                // a leftover lock expires after a minute
            }
        }
    }

    public static void write(Path out, ExperimentConfig config, List<ExperimentConfig.Run> runs) {
        write(out, config, runs, null);
    }

    /**
     * The config file as the regenerate line gives it: relative to the working folder when inside it (as the
     * README's commands are written), else absolute; {@code configs/NAME.json} when not known.
     */
    static String shownConfig(ExperimentConfig config, Path configFile) {
        if (configFile == null) {
            return "configs/" + config.name() + ".json";
        }
        return shownPath(configFile);
    }

    /** A path as the regenerate line gives it: relative to the working folder when inside it, else absolute. */
    static String shownPath(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return (abs.startsWith(cwd) ? cwd.relativize(abs) : abs).toString();
    }

    /** As {@link #write(Path, ExperimentConfig, List)}, naming {@code configFile} in the regenerate line. */
    public static void write(Path out, ExperimentConfig config, List<ExperimentConfig.Run> runs, Path configFile) {
        List<Row> rows = rows(out, runs);
        StringBuilder csv = new StringBuilder("split,loss,runs,failed,choice,tuned_mean,tuned_sd,default_mean,default_sd,"
                + "balanced_accuracy_mean,balanced_accuracy_sd,f1_mean,f1_sd,auc_mean,auc_sd,"
                + "nll_mean,nll_sd,brier_mean,brier_sd,ece_mean,ece_sd,ece_scaled_mean,ece_scaled_sd,recall_per_class\n");
        StringBuilder md = new StringBuilder("# " + config.name() + ": test-set results, mean +- sd over seeds\n\n"
                + "Regenerate: `tools/losslab experiment --config " + shownConfig(config, configFile) + " --out " + shownPath(out)
                + " --resume`\n\n"
                + "Accuracy, balanced accuracy and F1 (binary: class 1; multiclass: macro) under the tuned rule; NLL, Brier "
                + "and ECE (top label, 15 bins) of the raw test probabilities; ECE (T) after temperature scaling fitted on "
                + "validation NLL; recall per class (class order of the config, mean over seeds) under the tuned rule; "
                + "'-' where the runs predate calibration metrics.\n\n"
                + "| split | loss | best threshold or method | tuned accuracy | default accuracy | balanced accuracy | F1 | AUC "
                + "| NLL | Brier | ECE | ECE (T) | recall per class | runs |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            csv.append(String.join(",", r.split(), r.loss(), String.valueOf(r.runs()), String.valueOf(r.failed()),
                    '"' + r.choice() + '"', num(r.tuned()[0]), num(r.tuned()[1]), num(r.defaults()[0]), num(r.defaults()[1]),
                    num(r.balanced()[0]), num(r.balanced()[1]), num(r.f1()[0]), num(r.f1()[1]), num(r.auc()[0]),
                    num(r.auc()[1]), num(r.nll()[0]), num(r.nll()[1]), num(r.brier()[0]), num(r.brier()[1]),
                    num(r.ece()[0]), num(r.ece()[1]), num(r.eceScaled()[0]), num(r.eceScaled()[1]),
                    r.recallPerClass().length == 0 ? "" : recalls(r.recallPerClass(), ";"))).append('\n');
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d%s |%n",
                    r.split(), r.loss(), r.choice(), pm(r.tuned()), pm(r.defaults()), pm(r.balanced()), pm(r.f1()),
                    pm(r.auc()), pm(r.nll()), pm(r.brier()), pm(r.ece()), pm(r.eceScaled()), recalls(r.recallPerClass(), " / "),
                    r.runs(),
                    r.failed() > 0 ? " (+" + r.failed() + " failed)" : ""));
        }
        try {
            AtomicFiles.writeString(out.resolve("summary.csv"), csv.toString());
            AtomicFiles.writeString(out.resolve("summary.md"), md.toString());
        } catch (IOException e) {
            throw new LosslabException("cannot write the summary to " + out + ": " + e.getMessage());
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String pm(double[] s) {
        if (s[2] == 0) {
            return "-";
        }
        return s[2] > 1 ? String.format(Locale.ROOT, "%.4f +- %.4f", s[0], s[1]) : String.format(Locale.ROOT, "%.4f", s[0]);
    }
}
