package dev.losslab.report;

import dev.losslab.report.ObjectiveStudy.CalibrationRow;
import dev.losslab.report.ObjectiveStudy.Score;
import dev.losslab.report.ObjectiveStudy.Study;
import dev.losslab.report.ObjectiveStudy.Verdict;
import dev.losslab.metrics.Calibration;
import dev.losslab.metrics.Metrics;
import dev.losslab.util.TextFiles;
import dev.losslab.LosslabException;
import dev.losslab.data.AtomicFiles;
import dev.losslab.experiment.ProbabilityCsv;
import dev.losslab.experiment.RunRecord;
import dev.losslab.experiment.SafeName;
import dev.losslab.tune.Tuner;
import dev.losslab.tune.TuningMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The rendering of an {@link ObjectiveStudy}: {@code objectives.csv} (one row per run and objective) and
 * {@code objectives.md} (the verdicts, the per-split, per-method and head/tail tables, calibration); the study computes,
 * this class only writes what it found.
 */
public final class ObjectiveReport {
    private ObjectiveReport() {
    }

    /**
     * The primary test of a long-tailed study: each split (ratio) on its own. Per split and objective, each loss tuned,
     * and each loss untuned (argmax, as its paper uses it), minus the baseline tuned on the same seed: mean, exact
     * sign-flip p and Holm's p across the losses of that split, objective and comparison.
     */
    static void splitVerdicts(StringBuilder md, ObjectiveStudy.Study study, List<String> settings, List<String> objectives,
                              String baseline) {
        List<ObjectiveStudy.Verdict> tuned = ObjectiveStudy.splitVerdicts(study, settings, objectives, baseline, Score::tuned);
        List<ObjectiveStudy.Verdict> argmax = ObjectiveStudy.splitVerdicts(study, settings, objectives, baseline, Score::argmax);
        md.append("## Verdicts per split\n\nEach split (ratio) tested on its own: the loss's test value minus ").append(baseline)
                .append(" tuned, paired per seed, mean (pairs), exact sign-flip p and Holm's p across the losses of one split, "
                + "objective and comparison; bold where Holm p < 0.05. 'tuned' is the loss with its rule chosen on "
                + "validation, 'argmax' the loss untuned.\n\n| split | loss |");
        for (String o : objectives) {
            md.append(" tuned vs CE tuned, ").append(o.replace('_', ' ')).append(" | argmax vs CE tuned, ")
                    .append(o.replace('_', ' ')).append(" |");
        }
        md.append("\n|").append(" --- |".repeat(2 + 2 * objectives.size())).append('\n');
        for (String split : tuned.stream().map(ObjectiveStudy.Verdict::setting).distinct().sorted().toList()) {
            for (String loss : tuned.stream().filter(v -> v.setting().equals(split)).map(ObjectiveStudy.Verdict::loss).distinct()
                    .sorted(baselineFirst(baseline)).toList()) {
                if (loss.equals(baseline)) {
                    continue;
                }
                md.append("| ").append(split).append(" | ").append(loss).append(" |");
                for (String o : objectives) {
                    for (List<ObjectiveStudy.Verdict> vs : List.of(tuned, argmax)) {
                        ObjectiveStudy.Verdict v = vs.stream().filter(x -> x.setting().equals(split) && x.objective().equals(o)
                                && x.loss().equals(loss)).findFirst().orElse(null);
                        md.append(v == null || v.pairs() == 0 ? " - |" : String.format(Locale.ROOT, v.holmP() < 0.05
                                ? " **%+.4f (%d), p %.3f, Holm %.3f** |" : " %+.4f (%d), p %.3f, Holm %.3f |",
                                v.meanDifference(), v.pairs(), v.p(), v.holmP()));
                    }
                }
                md.append('\n');
            }
        }
        md.append('\n');
    }

    /**
     * Per split and objective, each loss's mean test accuracy on the head classes (the first three) and the tail
     * classes (the last three), under argmax and under the rule tuned for the objective: where tuning moves accuracy.
     * Written for settings whose runs have at least twice {@link #ObjectiveStudy.HEAD_TAIL} classes (the long-tailed study).
     */
    static void headTail(StringBuilder md, ObjectiveStudy.Study study, String setting, List<String> objectives, String baseline) {
        List<ObjectiveStudy.Score> here = study.scores().stream().filter(s -> s.setting().equals(setting) && s.recallTuned() != null
                && s.recallTuned().length >= 2 * ObjectiveStudy.HEAD_TAIL).toList();
        if (here.isEmpty()) {
            return;
        }
        for (String o : objectives) {
            for (String split : here.stream().map(Score::split).distinct().toList()) {
                List<ObjectiveStudy.Score> rows = here.stream().filter(s -> s.objective().equals(o) && s.split().equals(split)).toList();
                if (rows.isEmpty()) {
                    continue;
                }
                md.append("### head and tail classes, ").append(split).append(", tuned for ").append(o.replace('_', ' '))
                        .append("\n\nMean test accuracy (recall) of the first three and the last three classes, under argmax "
                                + "and under the tuned rule.\n\n| loss | runs | head argmax | head tuned | tail argmax | tail tuned |\n"
                                + "| --- | --- | --- | --- | --- | --- |\n");
                for (String loss : rows.stream().map(Score::loss).distinct().sorted(baselineFirst(baseline)).toList()) {
                    List<ObjectiveStudy.Score> mine = rows.stream().filter(s -> s.loss().equals(loss)).toList();
                    md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f | %.4f |%n", loss, mine.size(),
                            part(mine, true, false), part(mine, true, true), part(mine, false, false), part(mine, false, true)));
                }
                md.append('\n');
            }
        }
    }

    /**
     * Per split (a ratio of the long-tailed study, a distribution of the notebook's settings) and objective, each
     * loss's mean test value under argmax and under its tuned rule, and two paired differences against the baseline's
     * tuned rule on the same seeds: the loss tuned, and the loss untuned (does tuning the baseline close the gap to a
     * method used as its paper uses it?). Mean with a 95% t-interval; no test here: with five seeds an exact sign-flip
     * test cannot go below 2/32 = 0.0625, so the tests are the verdicts' over all splits of the setting.
     */
    static void perSplit(StringBuilder md, ObjectiveStudy.Study study, String setting, List<String> objectives, String baseline) {
        for (String o : objectives) {
            List<ObjectiveStudy.Score> here = study.scores().stream().filter(s -> s.setting().equals(setting) && s.objective().equals(o))
                    .toList();
            List<String> splits = here.stream().map(Score::split).distinct().sorted().toList();
            if (here.isEmpty()) {
                continue;
            }
            md.append("### ").append(o.replace('_', ' ')).append(" per split\n\nMean test value over seeds; the differences "
                    + "are paired with ").append(baseline).append(" tuned on the same (split, seed), mean +- 95% t half-width."
                    + "\n\n| split | loss | runs | argmax | tuned | tuned minus CE tuned | argmax minus CE tuned |\n"
                    + "| --- | --- | --- | --- | --- | --- | --- |\n");
            for (String split : splits) {
                List<ObjectiveStudy.Score> rows = here.stream().filter(s -> s.split().equals(split)).toList();
                Map<String, double[]> tunedDiff = PairedDifferences.against(rows, baseline, Score::loss,
                        s -> String.valueOf(s.seed()), Score::tuned, Score::tuned);
                Map<String, double[]> argmaxDiff = PairedDifferences.against(rows, baseline, Score::loss,
                        s -> String.valueOf(s.seed()), Score::argmax, Score::tuned);
                for (String loss : rows.stream().map(Score::loss).distinct().sorted(baselineFirst(baseline)).toList()) {
                    List<ObjectiveStudy.Score> mine = rows.stream().filter(s -> s.loss().equals(loss)).toList();
                    double[] baseArgmax = rows.stream().filter(s -> s.loss().equals(baseline)).mapToDouble(
                            s -> s.argmax() - s.tuned()).toArray();
                    md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4f | %.4f | %s | %s |%n", split, loss, mine.size(),
                            mine.stream().mapToDouble(Score::argmax).average().orElse(Double.NaN),
                            mine.stream().mapToDouble(Score::tuned).average().orElse(Double.NaN),
                            loss.equals(baseline) ? "baseline" : interval(tunedDiff.get(loss)),
                            interval(loss.equals(baseline) ? baseArgmax : argmaxDiff.get(loss))));
                }
            }
            md.append('\n');
        }
    }

    /**
     * Per split and objective, each loss's mean test value under every tuning method's rule (each fitted on validation
     * by the objective), beside how often each was the one chosen on validation: whether selection on validation picks
     * the rule that is best on test. With a long-tailed validation set its rare classes hold a handful of images, and
     * a rule with a threshold per class can win there and lose on test.
     */
    static void perMethod(StringBuilder md, ObjectiveStudy.Study study, String setting, List<String> objectives, String baseline) {
        for (String o : objectives) {
            List<ObjectiveStudy.Score> here = study.scores().stream().filter(s -> s.setting().equals(setting) && s.objective().equals(o)
                    && !s.byMethod().isEmpty()).toList();
            if (here.isEmpty()) {
                continue;
            }
            List<String> methods = here.stream().flatMap(s -> s.byMethod().keySet().stream()).distinct().toList();
            md.append("### ").append(o.replace('_', ' ')).append(" by tuning method\n\nMean test value of each method's rule "
                    + "(fitted on validation for ").append(o.replace('_', ' ')).append("), over seeds; in brackets, the runs "
                    + "where validation chose it.\n\n| split | loss | ").append(String.join(" | ", methods))
                    .append(" | chosen rule |\n|").append(" --- |".repeat(3 + methods.size())).append('\n');
            for (String split : here.stream().map(Score::split).distinct().sorted().toList()) {
                List<ObjectiveStudy.Score> rows = here.stream().filter(s -> s.split().equals(split)).toList();
                for (String loss : rows.stream().map(Score::loss).distinct().sorted(baselineFirst(baseline)).toList()) {
                    List<ObjectiveStudy.Score> mine = rows.stream().filter(s -> s.loss().equals(loss)).toList();
                    md.append("| ").append(split).append(" | ").append(loss).append(" |");
                    for (String m : methods) {
                        double[] v = mine.stream().filter(s -> s.byMethod().containsKey(m))
                                .mapToDouble(s -> s.byMethod().get(m)).toArray();
                        long chosen = mine.stream().filter(s -> m.equals(s.chosen())).count();
                        md.append(v.length == 0 ? " - |" : String.format(Locale.ROOT, " %.4f%s |", Comparison.mean(v),
                                chosen == 0 ? "" : " (" + chosen + ")"));
                    }
                    md.append(String.format(Locale.ROOT, " %.4f |%n", mine.stream().mapToDouble(Score::tuned).average()
                            .orElse(Double.NaN)));
                }
            }
            md.append('\n');
        }
    }

    /** "mean +- 95% t half-width" of paired differences, "-" without any, the mean alone for one. */
    private static String interval(double[] d) {
        if (d == null || d.length == 0) {
            return "-";
        }
        return d.length == 1 ? String.format(Locale.ROOT, "%+.4f", d[0])
                : String.format(Locale.ROOT, "%+.4f +- %.4f", Comparison.mean(d), Comparison.halfWidth(d));
    }

    /** Mean over runs of the mean recall of the head (first three) or tail (last three) classes. */
    private static double part(List<ObjectiveStudy.Score> runs, boolean head, boolean tuned) {
        return runs.stream().mapToDouble(s -> {
            double[] r = tuned ? s.recallTuned() : s.recallArgmax();
            int from = head ? 0 : r.length - ObjectiveStudy.HEAD_TAIL;
            double sum = 0;
            for (int c = from; c < from + ObjectiveStudy.HEAD_TAIL; c++) {
                sum += r[c];
            }
            return sum / ObjectiveStudy.HEAD_TAIL;
        }).average().orElse(Double.NaN);
    }

    /** Writes {@code objectives.csv} (one row per run and objective) and {@code objectives.md}; returns the markdown. */
    public static String write(ObjectiveStudy.Study study, List<String> settings, List<String> objectives, String baseline, Path out)
            throws IOException {
        return write(study, settings, settings, objectives, baseline, out, false, null, null);
    }

    /**
     * As above; {@code sources} the sweeps read (the study's settings unless they were pooled into one), and with
     * {@code perSplit} each split tested on its own first (Holm across the losses of one split), the pooled verdicts
     * after it as the second view; {@code losses} the losses compared ({@code --losses}) and {@code take} the losses taken
     * from one sweep only ({@code --take LOSS=SETTING}), each null when not given.
     */
    public static String write(ObjectiveStudy.Study study, List<String> sources, List<String> settings, List<String> objectives,
                               String baseline, Path out, boolean perSplit, List<String> losses, java.util.Map<String, String> take)
            throws IOException {
        StringBuilder csv = new StringBuilder("setting,split,loss,seed,objective,argmax_test,tuned_test,chosen,test_ece\n");
        for (ObjectiveStudy.Score s : study.scores()) {
            csv.append(String.join(",", s.setting(), s.split(), s.loss(), String.valueOf(s.seed()), s.objective(),
                    num(s.argmax()), num(s.tuned()), s.chosen(), Double.isNaN(s.testEce()) ? "" : num(s.testEce()))).append('\n');
        }
        StringBuilder md = new StringBuilder("# The notebook's question per objective\n\n");
        md.append("Regenerate: `tools/losslab objectives --settings ").append(String.join(",", sources))
                .append(sources.equals(settings) ? "" : " --pool " + settings.get(0))
                .append(perSplit ? " --per-split" : "")
                .append(losses == null ? "" : " --losses " + String.join(",", losses))
                .append(take == null ? "" : new java.util.TreeMap<>(take).entrySet().stream()
                        .map(e -> " --take " + e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining()))
                .append(" --objectives ").append(String.join(",", objectives))
                .append(study.selectionFolds() >= 2 ? " --selection-folds " + study.selectionFolds() : "").append("`\n\n");
        if (study.selectionFolds() >= 2) {
            md.append("Each run's rule is chosen by cross-fitting: every method is fitted on ").append(study.selectionFolds() - 1)
                    .append(" of ").append(study.selectionFolds()).append(" stratified validation folds and scored on the "
                    + "held-out one, the objective taken on the pooled out-of-fold predictions; the chosen method is "
                    + "refitted on all of validation. The runs themselves chose on the validation fit.\n\n");
        }
        md.append("Every finished run's validation and test probabilities, re-tuned with the run's own methods, search and "
                + "seed once per objective: the method is chosen on validation by the objective and the chosen rule is "
                + "scored on test by it. 'argmax' is the untuned rule scored by the same objective. Each loss minus "
                + baseline + " is paired per (split, seed): mean with a 95% t-interval, the 95% paired percentile "
                + "bootstrap interval, exact sign-flip permutation p, "
                + "Holm's correction over the losses of one setting and objective; a loss beats or is worse than "
                + baseline + " only at Holm p < 0.05. Binary macro-F1 is the mean of both classes' F1.\n\n");
        if (!study.validationCounts().isEmpty()) {
            // how many images each rule was tuned on: a class with a dozen is a rule fitted to noise
            md.append("Validation images per class (the config's class order; the rules are tuned on these):\n\n");
            for (var e : study.validationCounts().entrySet()) {
                md.append("- ").append(e.getKey()).append(": ").append(String.join(" ",
                        java.util.Arrays.stream(e.getValue()).mapToObj(String::valueOf).toList())).append('\n');
            }
            md.append('\n');
        }
        md.append(String.format(Locale.ROOT, "Re-tuning each run with its own objective reproduces the tuned test accuracy recorded "
                + "in its run.json in %d of %d runs.%s%n%n", study.reproduced(), study.checkedRuns(), study.skipped().isEmpty() ? ""
                : " Skipped (no probability files or an id without its loss): " + String.join(", ", study.skipped()) + "."));
        if (perSplit) {
            splitVerdicts(md, study, settings, objectives, baseline);
        }
        md.append(perSplit ? "## Verdicts pooled over splits (the second view)\n\n" : "## Verdicts\n\n")
                .append("Tuned test value minus cross-entropy's, mean over the (split, seed) pairs, with Holm's p; "
                + "bold where Holm p < 0.05.\n\n| setting | loss | ");
        md.append(String.join(" | ", objectives.stream().map(o -> "tuned " + o.replace('_', ' ') + " vs CE").toList()));
        md.append(" |\n|").append(" --- |".repeat(2 + objectives.size())).append('\n');
        for (String setting : settings) {
            for (String loss : lossesOf(study, setting, baseline)) {
                if (loss.equals(baseline)) {
                    continue;
                }
                md.append("| ").append(setting).append(" | ").append(loss).append(" |");
                for (String o : objectives) {
                    ObjectiveStudy.Verdict v = find(study, setting, o, loss);
                    md.append(v == null ? " - |" : v.verdict().equals("no detectable difference")
                            ? String.format(Locale.ROOT, " %+.4f (Holm p %.3f) |", v.meanDifference(), v.holmP())
                            : String.format(Locale.ROOT, " **%+.4f (Holm p %.3f): %s** |", v.meanDifference(), v.holmP(),
                            v.verdict()));
                }
                md.append('\n');
            }
        }
        List<ObjectiveStudy.GainVsCalibration> gains = study.gainVsCalibration(); // permutation tests: once, not once per setting
        for (String setting : settings) {
            md.append("\n## ").append(setting).append("\n\n");
            for (String o : objectives) {
                md.append("### ").append(o.replace('_', ' ')).append("\n\n| loss | runs | argmax | tuned | tuned minus CE tuned "
                        + "| bootstrap 95% | p | Holm p | verdict |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
                for (String loss : lossesOf(study, setting, baseline)) {
                    ObjectiveStudy.Verdict v = find(study, setting, o, loss);
                    if (v == null) {
                        continue;
                    }
                    boolean base = loss.equals(baseline);
                    md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %s | %s | %s | %s | %s |%n", loss, v.pairs(),
                            v.argmax(), v.tuned(), base ? "baseline" : Double.isNaN(v.halfWidth())
                                    ? String.format(Locale.ROOT, "%+.4f", v.meanDifference())
                                    : String.format(Locale.ROOT, "%+.4f +- %.4f", v.meanDifference(), v.halfWidth()),
                            base ? "" : String.format(Locale.ROOT, "[%+.4f, %+.4f]", v.bootstrap()[0], v.bootstrap()[1]),
                            base ? "" : String.format(Locale.ROOT, "%.4f", v.p()),
                            base ? "" : String.format(Locale.ROOT, "%.4f", v.holmP()), base ? "" : v.verdict()));
                }
                md.append('\n');
            }
            perSplit(md, study, setting, objectives, baseline);
            perMethod(md, study, setting, objectives, baseline);
            headTail(md, study, setting, objectives, baseline);
            List<ObjectiveStudy.CalibrationRow> cal = study.calibration().stream().filter(c -> c.setting().equals(setting)).toList();
            if (!cal.isEmpty()) {
                md.append("### calibration (raw test probabilities; mean over runs)\n\n| loss | runs | NLL | Brier | ECE | "
                        + "ECE after temperature | temperature | test accuracy gained by tuning |\n"
                        + "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
                for (ObjectiveStudy.CalibrationRow c : cal.stream().sorted(java.util.Comparator.comparing(
                        CalibrationRow::loss, baselineFirst(baseline))).toList()) {
                    ObjectiveStudy.Verdict acc = find(study, setting, "accuracy", c.loss());
                    md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f | %.4f | %.3f | %s |%n", c.loss(), c.runs(),
                            c.nll(), c.brier(), c.ece(), c.eceScaled(), c.temperature(),
                            acc == null ? "-" : String.format(Locale.ROOT, "%+.4f", acc.tuned() - acc.argmax())));
                }
                for (ObjectiveStudy.GainVsCalibration g : gains) {
                    if (g.setting().equals(setting)) {
                        md.append(String.format(Locale.ROOT, "%nOver the %d runs, Spearman's rho between a run's test ECE and "
                                + "the test accuracy tuning gained it: %.3f (permutation p %.4f; mean gain %+.4f).%n", g.runs(),
                                g.rho(), g.p(), g.meanGain()));
                    }
                }
                md.append('\n');
            }
        }
        String text = md.toString().stripTrailing() + "\n";
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("objectives.csv"), csv.toString());
        AtomicFiles.writeString(out.resolve("objectives.md"), text);
        return text;
    }

    /** The setting's losses, the baseline first, then by name. */
    private static List<String> lossesOf(ObjectiveStudy.Study study, String setting, String baseline) {
        return study.verdicts().stream().filter(v -> v.setting().equals(setting)).map(Verdict::loss).distinct()
                .sorted(baselineFirst(baseline)).toList();
    }

    /** Loss names in report order: the baseline first, then by name. */
    private static java.util.Comparator<String> baselineFirst(String baseline) {
        return java.util.Comparator.comparing((String l) -> !l.equals(baseline)).thenComparing(l -> l);
    }

    private static ObjectiveStudy.Verdict find(ObjectiveStudy.Study study, String setting, String objective, String loss) {
        return study.verdicts().stream().filter(v -> v.setting().equals(setting) && v.objective().equals(objective)
                && v.loss().equals(loss)).findFirst().orElse(null);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
