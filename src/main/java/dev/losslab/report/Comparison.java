package dev.losslab.report;

import dev.losslab.LosslabException;
import dev.losslab.data.AtomicFiles;
import dev.losslab.experiment.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Our sweeps beside the notebook's tables: each notebook row next to our mean +- sd over seeds,
 * the difference, and whether the notebook's value lies inside our mean +- 2 sd; then, per
 * setting, the notebook's question answered from paired per-seed differences: tuned accuracy of
 * each imbalance loss minus tuned (and default) accuracy of cross-entropy on the same split and
 * seed, with a 95% t-interval and a paired bootstrap interval over the (split, seed) pairs; variant sweeps ({@code <base>-<suffix>}) against
 * their base, paired the same way; and per setting the runs finished and failed with their summed wall time.
 */
public final class Comparison {
    public static final String BASELINE = "crossentropy";

    /** One finished run, reduced to what the comparison needs. */
    record Result(String setting, String split, String loss, long seed, double tuned, double defaultAccuracy,
                  boolean canonical) {
    }

    /** A notebook row beside ours. */
    public record Line(ReferenceTable.Row reference, int n, double mean, double sd, String inside) {
    }

    /** A loss against cross-entropy, over (split, seed) pairs. */
    /**
     * One loss against cross-entropy in one setting; {@code p} is the exact paired sign-flip permutation
     * test on the tuned differences, {@code holmP} that p adjusted with Holm's method over the losses
     * of the setting.
     */
    public record Paired(String setting, String loss, int pairs, double meanVsTuned, double halfWidthVsTuned,
                         double meanVsDefault, double halfWidthVsDefault, double p, double holmP, double[] bootstrap) {
        /** The verdict at family-wise 5%: Holm-adjusted p below 0.05, in the direction of the mean. */
        public String verdict() {
            return PairedTests.verdict(pairs, meanVsTuned, holmP);
        }
    }

    /** Runs of one setting (results/&lt;setting&gt;/runs): how many finished, how many failed, summed run wall time. */
    public record Timing(String setting, int ok, int failed, double wallSeconds) {
    }

    /**
     * A variant sweep against its base sweep: a setting named {@code <base>-<suffix>} (e.g. three-class-20-epochs)
     * rerun on the same splits and seeds as {@code <base>}, hence on the same data; tuned test accuracy of the
     * variant minus the base's, per loss, paired per (split, seed).
     */
    public record Variant(String setting, String base, String loss, int pairs, double mean, double halfWidth) {
    }

    private Comparison() {
    }

    /** A run.json found as results/&lt;setting&gt;/runs/&lt;id&gt;/run.json, parsed. */
    private record RunFile(String setting, String id, RunRecord record) {
    }

    /** Every parseable run.json under {@code resultsDir} that sits in a runs/ folder, in path order. */
    private static List<RunFile> runFiles(Path resultsDir) {
        List<RunFile> out = new ArrayList<>();
        if (!Files.isDirectory(resultsDir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(resultsDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("run.json")).sorted().toList()) {
                Path runDir = f.getParent();
                Path runsDir = runDir.getParent();
                if (runsDir == null || runsDir.getParent() == null || !runsDir.getFileName().toString().equals("runs")
                        || runDir.getFileName().toString().startsWith(".")) { // a run still being written (hidden sibling)
                    continue;
                }
                RunRecord r = RunRecord.read(f);
                if (r != null) {
                    out.add(new RunFile(runsDir.getParent().getFileName().toString(), runDir.getFileName().toString(), r));
                }
            }
        } catch (IOException e) {
            throw new LosslabException("cannot read " + resultsDir + ": " + e.getMessage());
        }
        return out;
    }

    /** Every run.json under {@code resultsDir}, finished or failed, counted per setting with its wall time. */
    static List<Timing> timings(Path resultsDir) {
        Map<String, double[]> bySetting = new TreeMap<>();
        for (RunFile f : runFiles(resultsDir)) {
            double[] t = bySetting.computeIfAbsent(f.setting(), k -> new double[3]);
            t["ok".equals(f.record().status()) ? 0 : 1]++;
            t[2] += f.record().wallSeconds();
        }
        List<Timing> out = new ArrayList<>();
        bySetting.forEach((k, t) -> out.add(new Timing(k, (int) t[0], (int) t[1], t[2])));
        return out;
    }

    static List<Result> load(Path resultsDir) {
        List<Result> out = new ArrayList<>();
        for (RunFile f : runFiles(resultsDir)) {
            RunRecord r = f.record();
            if (!"ok".equals(r.status())) {
                continue;
            }
            String loss = r.config().method();
            int at = f.id().indexOf("-" + loss + "-seed");
            if (at < 0) {
                continue;
            }
            out.add(new Result(f.setting(), f.id().substring(0, at), loss, r.config().seed(), r.test().tuned().accuracy(),
                    r.test().defaultRule().accuracy(), r.provenance() != null && r.provenance().dataCanonical()));
        }
        return out;
    }

    public static List<Line> lines(List<Result> results, ReferenceTable reference) {
        List<Line> out = new ArrayList<>();
        for (ReferenceTable.Row row : reference.rows()) {
            double[] v = results.stream().filter(r -> r.setting().equals(row.setting()) && r.split().equals(row.split())
                    && r.loss().equals(row.loss())).mapToDouble(Result::tuned).toArray();
            double mean = mean(v);
            double sd = sd(v);
            String inside = v.length == 0 ? "no runs" : v.length < 2 ? "n/a (1 seed)"
                    : Math.abs(row.tuned() - mean) <= 2 * sd ? "yes" : "no";
            out.add(new Line(row, v.length, mean, sd, inside));
        }
        return out;
    }

    public static List<Paired> paired(List<Result> results) {
        List<Paired> out = new ArrayList<>();
        for (String setting : results.stream().map(Result::setting).distinct().toList()) {
            List<Result> rows = results.stream().filter(r -> r.setting().equals(setting)).toList();
            Map<String, double[]> vsTuned = PairedDifferences.against(rows, BASELINE, Result::loss,
                    r -> r.split() + "|" + r.seed(), Result::tuned, Result::tuned);
            Map<String, double[]> vsDefault = PairedDifferences.against(rows, BASELINE, Result::loss,
                    r -> r.split() + "|" + r.seed(), Result::tuned, Result::defaultAccuracy);
            List<String> losses = new ArrayList<>(vsTuned.keySet());
            double[] p = losses.stream().mapToDouble(l -> PairedTests.signFlipP(vsTuned.get(l))).toArray();
            double[] holm = PairedTests.holm(p); // over the losses compared with cross-entropy within the setting
            for (int i = 0; i < losses.size(); i++) {
                double[] t = vsTuned.get(losses.get(i));
                double[] d = vsDefault.get(losses.get(i));
                out.add(new Paired(setting, losses.get(i), t.length, mean(t), halfWidth(t), mean(d), halfWidth(d), p[i],
                        holm[i], PairedTests.bootstrapInterval(t)));
            }
        }
        out.sort(Comparator.comparing((Paired x) -> x.setting() + "|" + x.loss()));
        return out;
    }

    /** A sweep's agreement with the notebook's table of its setting (or its base's). */
    public record Fidelity(String setting, String referenceSetting, int inside, int rows, double meanAbsDifference) {
    }

    public static List<Fidelity> fidelity(List<Result> results, ReferenceTable reference) {
        List<String> refSettings = reference.rows().stream().map(ReferenceTable.Row::setting).distinct().toList();
        List<Fidelity> out = new ArrayList<>();
        for (String setting : results.stream().map(Result::setting).distinct().sorted().toList()) {
            String ref = refSettings.stream().filter(r -> setting.equals(r) || setting.startsWith(r + "-"))
                    .max(Comparator.comparingInt(String::length)).orElse(null);
            if (ref == null) {
                continue;
            }
            int inside = 0;
            int rows = 0;
            double absDiff = 0;
            for (ReferenceTable.Row row : reference.rows()) {
                if (!row.setting().equals(ref)) {
                    continue;
                }
                double[] v = results.stream().filter(r -> r.setting().equals(setting) && r.split().equals(row.split())
                        && r.loss().equals(row.loss())).mapToDouble(Result::tuned).toArray();
                if (v.length < 2) {
                    continue;
                }
                rows++;
                absDiff += Math.abs(mean(v) - row.tuned());
                inside += Math.abs(row.tuned() - mean(v)) <= 2 * sd(v) ? 1 : 0;
            }
            if (rows > 0) {
                out.add(new Fidelity(setting, ref, inside, rows, absDiff / rows));
            }
        }
        return out;
    }

    /** Each variant setting (longest other setting name that prefixes it, plus "-") against its base, per loss. */
    public static List<Variant> variants(List<Result> results) {
        List<String> settings = results.stream().map(Result::setting).distinct().sorted().toList();
        List<Variant> out = new ArrayList<>();
        for (String setting : settings) {
            String base = settings.stream().filter(b -> setting.startsWith(b + "-"))
                    .max(Comparator.comparingInt(String::length)).orElse(null);
            if (base == null) {
                continue;
            }
            List<Result> both = results.stream().filter(r -> r.setting().equals(setting) || r.setting().equals(base)).toList();
            for (String loss : both.stream().map(Result::loss).distinct().sorted().toList()) {
                // the base sweep is the baseline here, paired run by run on (split, seed) within the loss
                double[] v = PairedDifferences.against(both.stream().filter(r -> r.loss().equals(loss)).toList(), base,
                        Result::setting, r -> r.split() + "|" + r.seed(), Result::tuned, Result::tuned).get(setting);
                if (v != null) {
                    out.add(new Variant(setting, base, loss, v.length, mean(v), halfWidth(v)));
                }
            }
        }
        return out;
    }

    /** Writes {@code out} (COMPARISON.md) and returns its text. */
    public static String write(Path resultsDir, ReferenceTable reference, Path out) throws IOException {
        List<Result> results = load(resultsDir);
        StringBuilder md = new StringBuilder("# losslab vs the Keras notebook\n\n");
        md.append("Regenerate: `tools/losslab compare --results ").append(resultsDir).append("`. Ours: test accuracy with the ")
                .append("rule chosen on validation, mean +- sd over seeds; 'inside' asks whether the notebook's value lies ")
                .append("within our mean +- 2 sd.\n\n");
        long canonical = results.stream().filter(Result::canonical).count();
        md.append(String.format(Locale.ROOT, "Data: %d finished runs, %d of them on canonical Fashion-MNIST (content SHA-256 "
                + "verified)%s.%n%n", results.size(), canonical, canonical == results.size() ? "" : "; the others were NOT"));
        md.append("| setting | split | loss | notebook choice | notebook tuned | notebook default | ours tuned | n | difference | inside |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Line l : lines(results, reference)) {
            ReferenceTable.Row r = l.reference();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f | %.3f | %s | %d | %s | %s |%n", r.setting(), r.split(),
                    r.loss(), r.choice(), r.tuned(), r.defaultAccuracy(),
                    l.n() == 0 ? "-" : String.format(Locale.ROOT, "%.4f +- %.4f", l.mean(), l.sd()), l.n(),
                    l.n() == 0 ? "-" : String.format(Locale.ROOT, "%+.4f", l.mean() - r.tuned()), l.inside()));
        }
        md.append("\n## How many of the notebook's rows lie inside our mean +- 2 sd\n\n")
                .append("Per sweep, against the notebook's table of its setting (a variant `<setting>-<suffix>` against its ")
                .append("base's table): rows inside our mean +- 2 sd, of the rows our sweep has runs for, and the mean ")
                .append("absolute difference of our tuned accuracy from the notebook's over those rows.\n\n")
                .append("| our sweep | notebook table | inside / rows | mean abs difference |\n| --- | --- | --- | --- |\n");
        for (Fidelity f : fidelity(results, reference)) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d / %d | %.4f |%n", f.setting(), f.referenceSetting(),
                    f.inside(), f.rows(), f.meanAbsDifference()));
        }
        md.append("\n## Does a loss built for imbalance, plus threshold tuning, beat cross-entropy on accuracy?\n\n")
                .append("Paired per (split, seed): the loss's tuned test accuracy minus cross-entropy's tuned (and default) ")
                .append("test accuracy on the same data; mean and 95% t-interval half-width over the pairs, and the 95% ")
                .append("paired percentile bootstrap interval of the tuned difference; p: exact paired ")
                .append("sign-flip permutation test of the tuned differences; Holm: p adjusted over the losses of the setting. ")
                .append("The verdict asks Holm p < 0.05 (family-wise 5%); with n pairs the smallest possible p is 2 / 2^n ")
                .append("(3 pairs: 0.25, 5 pairs: 0.0625), so a setting with fewer than 6 pairs cannot reach a verdict.\n\n")
                .append("| setting | loss | pairs | vs CE tuned | bootstrap 95% | vs CE default | p | Holm p | verdict (vs CE tuned) |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Paired p : paired(results)) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | [%+.4f, %+.4f] | %s | %.4f | %.4f | %s |%n", p.setting(),
                    p.loss(), p.pairs(), interval(p.meanVsTuned(), p.halfWidthVsTuned()), p.bootstrap()[0], p.bootstrap()[1],
                    interval(p.meanVsDefault(), p.halfWidthVsDefault()), p.p(), p.holmP(), p.verdict()));
        }
        List<Variant> variants = variants(results);
        if (!variants.isEmpty()) {
            md.append("\n## Variant sweeps against their base sweep\n\n")
                    .append("A setting named `<base>-<suffix>` reruns `<base>`'s splits and seeds (the same data) with one thing ")
                    .append("changed; tuned test accuracy of the variant minus the base's, paired per (split, seed), mean and ")
                    .append("95% t-interval half-width.\n\n")
                    .append("| variant | base | loss | pairs | variant minus base |\n| --- | --- | --- | --- | --- |\n");
            for (Variant v : variants) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s |%n", v.setting(), v.base(), v.loss(), v.pairs(),
                        interval(v.mean(), v.halfWidth())));
            }
        }
        md.append("\n## Runs and wall time\n\n")
                .append("Summed wall time of the runs as recorded in their run.json (data loading, training, tuning, export). ")
                .append("Runs that trained side by side (`--jobs`, or sweeps run concurrently) each count their own wall ")
                .append("time, so a sum can exceed the time the machine took.\n\n")
                .append("| setting | finished | failed | wall time |\n| --- | --- | --- | --- |\n");
        double total = 0;
        for (Timing t : timings(resultsDir)) {
            total += t.wallSeconds();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s |%n", t.setting(), t.ok(), t.failed(),
                    minutes(t.wallSeconds())));
        }
        md.append(String.format(Locale.ROOT, "| all | | | %s |%n", minutes(total)));
        AtomicFiles.writeString(out, md.toString());
        return md.toString();
    }

    private static String minutes(double seconds) {
        return String.format(Locale.ROOT, "%.1f min", seconds / 60);
    }

    private static String interval(double mean, double halfWidth) {
        return Double.isNaN(halfWidth) ? String.format(Locale.ROOT, "%+.4f (1 pair)", mean)
                : String.format(Locale.ROOT, "%+.4f +- %.4f", mean, halfWidth);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    static double sd(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    /** Half-width of the two-sided 95% t-interval of the mean. */
    static double halfWidth(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        return tQuantile975(v.length - 1) * sd(v) / Math.sqrt(v.length);
    }

    /** 97.5% quantile of Student's t (table values; normal beyond 30 degrees of freedom). */
    static double tQuantile975(int df) {
        double[] table = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
                2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
                2.045, 2.042};
        return df <= 30 ? table[df - 1] : 1.96;
    }
}
