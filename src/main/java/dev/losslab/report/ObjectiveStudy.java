package dev.losslab.report;

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
 * The notebook's question asked once per objective. Every finished run of the named settings kept its
 * validation and test probabilities; for each objective (accuracy, balanced accuracy, macro-F1) the run's
 * own tuning (its methods, search, step, samples and seed, read from its run.json) is refitted on the
 * validation probabilities with that objective, the method is chosen on validation by it, and the chosen
 * rule is scored on test by it. Each loss is then paired with cross-entropy per (split, seed): mean
 * difference with a 95% t-interval and a paired bootstrap interval, the exact sign-flip permutation p and Holm's correction over the
 * losses of one setting and objective ({@link PairedTests}). Re-tuning with the run's own objective must give
 * the tuned accuracy its run.json recorded; the report counts the runs where it does.
 *
 * <p>The calibration table per setting averages each loss's run.json calibration (test NLL, Brier,
 * top-label ECE over 15 bins, ECE after temperature scaling fitted on validation, the temperature).
 */
public final class ObjectiveStudy {
    /** The objectives a study may use: cost needs a matrix per setting and is left to {@code tune --cost}. */
    public static final List<String> OBJECTIVES = List.of("accuracy", "balanced_accuracy", "macro_f1");

    /**
     * One run scored under one objective: argmax and the tuned rule (chosen on validation) on test, and the
     * run's test ECE (NaN when it predates calibration metrics).
     */
    public record Score(String setting, String split, String loss, long seed, String objective, double argmax,
                        double tuned, String chosen, double testEce, double[] recallArgmax, double[] recallTuned,
                        Map<String, Double> byMethod) {
        public Score(String setting, String split, String loss, long seed, String objective, double argmax, double tuned,
                     String chosen, double testEce) {
            this(setting, split, loss, seed, objective, argmax, tuned, chosen, testEce, null, null, Map.of());
        }

        public Score(String setting, String split, String loss, long seed, String objective, double argmax, double tuned,
                     String chosen, double testEce, double[] recallArgmax, double[] recallTuned) {
            this(setting, split, loss, seed, objective, argmax, tuned, chosen, testEce, recallArgmax, recallTuned, Map.of());
        }

        /** Equal by value, the per-class recall arrays included. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Score s && setting.equals(s.setting) && split.equals(s.split) && loss.equals(s.loss)
                    && seed == s.seed && objective.equals(s.objective) && Double.compare(argmax, s.argmax) == 0
                    && Double.compare(tuned, s.tuned) == 0 && java.util.Objects.equals(chosen, s.chosen)
                    && Double.compare(testEce, s.testEce) == 0 && java.util.Arrays.equals(recallArgmax, s.recallArgmax)
                    && java.util.Arrays.equals(recallTuned, s.recallTuned) && byMethod.equals(s.byMethod);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(setting, split, loss, seed, objective, argmax, tuned, chosen, testEce,
                    java.util.Arrays.hashCode(recallArgmax), java.util.Arrays.hashCode(recallTuned), byMethod);
        }
    }

    /** Classes counted as the head and as the tail (the first and last three) when a run has at least this many. */
    static final int HEAD_TAIL = 3;

    /**
     * Within one setting, over every run: Spearman's rho between the run's test ECE and what tuning for
     * accuracy gained on its test set (tuned minus argmax accuracy), with the number of runs.
     */
    public record GainVsCalibration(String setting, int runs, double rho, double p, double meanGain) {
    }

    /** A loss against the baseline in one setting under one objective, paired per (split, seed). */
    public record Verdict(String setting, String objective, String loss, int pairs, double argmax, double tuned,
                          double meanDifference, double halfWidth, double p, double holmP, double[] bootstrap) {
        public String verdict() {
            return PairedTests.verdict(pairs, meanDifference, holmP);
        }
    }

    /** Mean calibration of one loss's runs in one setting. */
    public record CalibrationRow(String setting, String loss, int runs, double nll, double brier, double ece,
                                 double eceScaled, double temperature) {
    }

    /** Everything the study found. */
    public record Study(List<Score> scores, List<Verdict> verdicts, List<CalibrationRow> calibration, int reproduced,
                        int checkedRuns, List<String> skipped, int selectionFolds, Map<String, int[]> validationCounts) {
        public Study(List<Score> scores, List<Verdict> verdicts, List<CalibrationRow> calibration, int reproduced,
                     int checkedRuns, List<String> skipped) {
            this(scores, verdicts, calibration, reproduced, checkedRuns, skipped, 0, Map.of());
        }

        public Study(List<Score> scores, List<Verdict> verdicts, List<CalibrationRow> calibration, int reproduced,
                     int checkedRuns, List<String> skipped, int selectionFolds) {
            this(scores, verdicts, calibration, reproduced, checkedRuns, skipped, selectionFolds, Map.of());
        }

        /** Per setting, over runs with calibration metrics: does a worse-calibrated run gain more from tuning? */
        public List<GainVsCalibration> gainVsCalibration() {
            List<GainVsCalibration> out = new ArrayList<>();
            for (String setting : scores.stream().map(Score::setting).distinct().toList()) {
                List<Score> acc = scores.stream().filter(s -> s.setting().equals(setting) && s.objective().equals("accuracy")
                        && !Double.isNaN(s.testEce())).toList();
                if (acc.size() >= 3) {
                    double[] gain = acc.stream().mapToDouble(s -> s.tuned() - s.argmax()).toArray();
                    double[] ece = acc.stream().mapToDouble(Score::testEce).toArray();
                    out.add(new GainVsCalibration(setting, acc.size(), RankCorrelation.spearman(ece, gain),
                            RankCorrelation.permutationP(ece, gain), Comparison.mean(gain)));
                }
            }
            return out;
        }
    }

    private ObjectiveStudy() {
    }

    /**
     * Re-tunes every finished run of {@code settings} (folders under {@code resultsDir}) for each objective.
     *
     * @param progress receives one line per run
     */
    public static Study run(Path resultsDir, List<String> settings, List<String> objectives, String baseline,
                            Consumer<String> progress) {
        return run(resultsDir, settings, objectives, baseline, 0, progress);
    }

    /**
     * As {@link #run(Path, List, List, String, Consumer)}, choosing each run's rule per objective by cross-fitting
     * over {@code selectionFolds} stratified validation folds (0: on the validation fit, as the runs did).
     */
    public static Study run(Path resultsDir, List<String> settings, List<String> objectives, String baseline,
                            int selectionFolds, Consumer<String> progress) {
        return run(resultsDir, settings, objectives, baseline, selectionFolds, 1, progress);
    }

    /**
     * As {@link #run(Path, List, List, String, int, Consumer)}, re-tuning {@code jobs} runs at a time (the
     * report is the same for any number).
     */
    public static Study run(Path resultsDir, List<String> settings, List<String> objectives, String baseline,
                            int selectionFolds, int jobs, Consumer<String> progress) {
        if (jobs < 1) {
            throw new LosslabException("--jobs must be >= 1 (got " + jobs + ")");
        }
        if (selectionFolds != 0 && selectionFolds < 2) {
            throw new LosslabException("--selection-folds must be 0 (choose on validation) or at least 2 (got "
                    + selectionFolds + ")");
        }
        for (String o : objectives) {
            if (!OBJECTIVES.contains(o)) {
                throw new LosslabException("unknown objective '" + o + "'; valid: " + String.join(", ", OBJECTIVES));
            }
        }
        List<Score> scores = new ArrayList<>();
        List<CalibrationRow> calibration = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int reproduced = 0;
        int checkedRuns = 0;
        // per "setting/split": the validation images per class the rules were tuned on (the first seed's; the split's
        // rule fixes them up to rounding)
        Map<String, int[]> validationCounts = new java.util.TreeMap<>();
        for (String setting : settings) {
            Path runsDir = resultsDir.resolve(SafeName.check("setting", setting)).resolve("runs");
            if (!Files.isDirectory(runsDir)) {
                throw new LosslabException("no runs for setting '" + setting + "': " + runsDir + " is not a folder");
            }
            List<Path> runDirs;
            try (Stream<Path> s = Files.list(runsDir)) {
                runDirs = s.filter(Files::isDirectory).sorted().toList();
            } catch (IOException e) {
                throw new LosslabException("cannot list " + runsDir + ": " + e.getMessage());
            }
            Map<String, List<RunRecord>> byLoss = new LinkedHashMap<>();
            List<RunScores> studied = forEachRun(runDirs, jobs, dir -> studyRun(dir, setting, objectives, selectionFolds),
                    (n, r) -> progress.accept(String.format(Locale.ROOT, "[%s %d/%d] %s", setting, n, runDirs.size(),
                            r.id())));
            for (RunScores r : studied) {
                if (r.record() == null) {
                    continue;
                }
                if (r.scores() == null) {
                    skipped.add(setting + "/" + r.id());
                    continue;
                }
                byLoss.computeIfAbsent(r.record().config().method(), l -> new ArrayList<>()).add(r.record());
                if (r.record().classCounts() != null && r.record().classCounts().get("validation") != null) {
                    validationCounts.putIfAbsent(setting + "/" + r.record().config().splitName(),
                            r.record().classCounts().get("validation"));
                }
                scores.addAll(r.scores());
                checkedRuns++;
                if (r.reproduced()) {
                    reproduced++;
                }
            }
            for (var e : byLoss.entrySet()) {
                List<RunRecord.CalibrationMetrics> cs = e.getValue().stream().map(RunRecord::calibration)
                        .filter(c -> c != null).toList();
                if (!cs.isEmpty()) {
                    calibration.add(new CalibrationRow(setting, e.getKey(), cs.size(), mean(cs, RunRecord.CalibrationMetrics::testNll),
                            mean(cs, RunRecord.CalibrationMetrics::testBrier), mean(cs, RunRecord.CalibrationMetrics::testEce),
                            mean(cs, RunRecord.CalibrationMetrics::testEceScaled), mean(cs, RunRecord.CalibrationMetrics::temperature)));
                }
            }
        }
        if (scores.isEmpty()) {
            throw new LosslabException("no finished runs with val- and test-probabilities.csv (or .csv.gz) in "
                    + String.join(", ", settings) + " under " + resultsDir);
        }
        return new Study(scores, verdicts(scores, settings, objectives, baseline), calibration, reproduced, checkedRuns,
                skipped, selectionFolds, validationCounts);
    }

    /**
     * One run's re-tunings: {@code record} null when the run did not finish; {@code scores} null when its
     * probability files are missing (skipped); {@code reproduced} whether its own settings give the tuned
     * accuracy its run.json recorded.
     */
    private record RunScores(String id, RunRecord record, List<Score> scores, boolean reproduced) {
    }

    private static RunScores studyRun(Path dir, String setting, List<String> objectives, int selectionFolds) {
        String id = dir.getFileName().toString();
        RunRecord rec = RunRecord.read(dir.resolve("run.json"));
        if (rec == null || !"ok".equals(rec.status())) {
            return new RunScores(id, null, null, false);
        }
        String loss = rec.config().method();
        int at = id.indexOf("-" + loss + "-seed");
        Path val = TextFiles.plainOrGzipped(dir, "val-probabilities.csv");
        Path test = TextFiles.plainOrGzipped(dir, "test-probabilities.csv");
        if (at < 0 || !Files.isRegularFile(val) || !Files.isRegularFile(test)) {
            return new RunScores(id, rec, null, false);
        }
        String split = id.substring(0, at);
        ProbabilityCsv.Table v = ProbabilityCsv.read(val);
        ProbabilityCsv.Table t = ProbabilityCsv.read(test);
        int k = rec.config().classes().length;
        if (v.numClasses() != k || t.numClasses() != k) {
            throw new LosslabException(dir + ": probabilities have " + v.numClasses() + " / " + t.numClasses()
                    + " classes but the run has " + k);
        }
        List<Score> scores = new ArrayList<>();
        Tuner.MethodResult own = null; // the run's own choice, when one of the re-tunings repeats it
        for (String o : objectives) {
            Tuner.Settings ts = rec.config().withObjective(o).tuningSettings();
            ts = selectionFolds >= 2 ? ts.withSelectionFolds(selectionFolds) : ts; // 0: as the run chose
            Tuner.Report report = Tuner.tune(v.probabilities(), v.labels(), t.probabilities(), t.labels(), k, ts);
            Tuner.MethodResult chosen = report.chosenResult();
            if (selectionFolds < 2 && o.equals(rec.config().objective())) {
                own = chosen;
            }
            double argmax = report.methods().stream().filter(m -> m.method() == TuningMethod.ARGMAX).findFirst()
                    .orElseThrow().testObjective();
            // per-class test accuracy (recall) under argmax and the tuned rule: the head and tail columns
            double[] recallArgmax = Calibration.perClassRecall(
                    Metrics.argmax(t.probabilities(), k), t.labels(), k);
            double[] recallTuned = Calibration.perClassRecall(
                    chosen.rule().predict(t.probabilities()), t.labels(), k);
            Map<String, Double> byMethod = new LinkedHashMap<>(); // every method's rule on test, chosen or not
            for (Tuner.MethodResult m : report.methods()) {
                byMethod.put(m.method().configName(), m.testObjective());
            }
            scores.add(new Score(setting, split, loss, rec.config().seed(), o, argmax, chosen.testObjective(),
                    chosen.method().configName(), rec.calibration() == null ? Double.NaN : rec.calibration().testEce(),
                    recallArgmax, recallTuned, byMethod));
        }
        // the run's own tuning (its objective, methods, search and seed) must give the tuned accuracy it recorded
        if (own == null) {
            own = Tuner.tune(v.probabilities(), v.labels(), t.probabilities(), t.labels(), k,
                    rec.config().tuningSettings()).chosenResult();
        }
        return new RunScores(id, rec, scores, Math.abs(own.testAccuracy() - rec.test().tuned().accuracy()) < 1e-9);
    }

    /**
     * {@code work} on every item with {@code jobs} threads, results in the items' order (so the report does not
     * depend on the thread count); {@code done} hears each finished item with how many have finished. A
     * {@link LosslabException} from any item is rethrown as it is.
     */
    static <A, B> List<B> forEachRun(List<A> items, int jobs, java.util.function.Function<A, B> work,
                                     java.util.function.BiConsumer<Integer, B> done) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(jobs, Math.max(1, items.size())), r -> {
                    Thread th = new Thread(r, "objectives");
                    th.setDaemon(true);
                    return th;
                });
        try {
            java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
            List<java.util.concurrent.Future<B>> futures = new ArrayList<>();
            for (A item : items) {
                futures.add(pool.submit(() -> {
                    B b = work.apply(item);
                    synchronized (done) {
                        done.accept(finished.incrementAndGet(), b);
                    }
                    return b;
                }));
            }
            List<B> out = new ArrayList<>();
            for (var f : futures) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new LosslabException(e.getCause().toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LosslabException("interrupted");
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Each loss minus the baseline, paired per (split, seed), per setting and objective, Holm within each. */
    static List<Verdict> verdicts(List<Score> scores, List<String> settings, List<String> objectives, String baseline) {
        return verdicts(scores, settings, objectives, baseline, Score::tuned);
    }

    /**
     * The verdicts of each split on its own ("setting/split" in {@link Verdict#setting}): each loss's value under
     * {@code mine} (its tuned rule, or its argmax) minus the baseline's tuned value, paired per seed, exact sign-flip p,
     * Holm across the losses of one split and objective. The primary test of a long-tailed study, whose ratios differ
     * in effect size; pooling the splits is the second view.
     */
    public static List<Verdict> splitVerdicts(Study study, List<String> settings, List<String> objectives, String baseline,
                                              ToDoubleFunction<Score> mine) {
        List<Score> relabelled = new ArrayList<>();
        List<String> splits = new ArrayList<>();
        for (Score s : study.scores()) {
            if (!settings.contains(s.setting())) {
                continue;
            }
            String key = s.setting() + "/" + s.split();
            if (!splits.contains(key)) {
                splits.add(key);
            }
            relabelled.add(new Score(key, s.split(), s.loss(), s.seed(), s.objective(), s.argmax(), s.tuned(), s.chosen(),
                    s.testEce(), s.recallArgmax(), s.recallTuned(), s.byMethod()));
        }
        splits.sort(null);
        return verdicts(relabelled, splits, objectives, baseline, mine);
    }

    /**
     * The runs of several sweeps as one study named {@code name}: the power sweep's seeds beside the first sweep's, the
     * decoupling methods' beside both. A (split, loss, seed) found in two sweeps is refused (it would be counted twice);
     * calibration rows are pooled weighted by runs.
     */
    public static Study pool(Study study, String name, List<String> objectives, String baseline) {
        Map<String, Score> seen = new java.util.HashMap<>();
        List<Score> scores = new ArrayList<>();
        for (Score s : study.scores()) {
            String key = s.split() + "|" + s.loss() + "|" + s.seed() + "|" + s.objective();
            Score before = seen.put(key, s);
            if (before != null) {
                throw new LosslabException("--pool: " + s.loss() + " on " + s.split() + " seed " + s.seed() + " is in both "
                        + before.setting() + " and " + s.setting() + "; a pooled study takes each (split, loss, seed) once");
            }
            scores.add(new Score(name, s.split(), s.loss(), s.seed(), s.objective(), s.argmax(), s.tuned(), s.chosen(),
                    s.testEce(), s.recallArgmax(), s.recallTuned(), s.byMethod()));
        }
        Map<String, List<CalibrationRow>> byLoss = new LinkedHashMap<>();
        study.calibration().forEach(c -> byLoss.computeIfAbsent(c.loss(), l -> new ArrayList<>()).add(c));
        List<CalibrationRow> calibration = new ArrayList<>();
        for (var e : byLoss.entrySet()) {
            List<CalibrationRow> rows = e.getValue();
            int runs = rows.stream().mapToInt(CalibrationRow::runs).sum();
            java.util.function.Function<ToDoubleFunction<CalibrationRow>, Double> w = f -> rows.stream()
                    .mapToDouble(r -> f.applyAsDouble(r) * r.runs()).sum() / runs;
            calibration.add(new CalibrationRow(name, e.getKey(), runs, w.apply(CalibrationRow::nll), w.apply(CalibrationRow::brier),
                    w.apply(CalibrationRow::ece), w.apply(CalibrationRow::eceScaled), w.apply(CalibrationRow::temperature)));
        }
        Map<String, int[]> counts = new java.util.TreeMap<>();
        study.validationCounts().forEach((k, v) -> counts.putIfAbsent(name + k.substring(k.indexOf('/')), v));
        return new Study(scores, verdicts(scores, List.of(name), objectives, baseline), calibration, study.reproduced(),
                study.checkedRuns(), study.skipped(), study.selectionFolds(), counts);
    }

    /** Each sweep {@code --take} names must be one of {@code settings}: a one-line error otherwise. */
    public static void checkTake(Map<String, String> take, List<String> settings) {
        for (var e : take.entrySet()) {
            if (!settings.contains(e.getValue())) {
                throw new LosslabException("--take " + e.getKey() + "=" + e.getValue() + ": '" + e.getValue()
                        + "' is not one of --settings (" + String.join(", ", settings) + ")");
            }
        }
    }

    /**
     * The study with each loss named in {@code take} kept only from the sweep it names (loss to setting): a loss run under
     * two recipes in two sweeps (the notebook's losses under the study's recipe and under the recipe chosen for them) is
     * then studied under one, and pooling no longer sees it twice. Losses not named keep the runs of every sweep.
     */
    public static Study take(Study study, Map<String, String> take, List<String> settings, List<String> objectives,
                             String baseline) {
        checkTake(take, settings);
        for (var e : take.entrySet()) {
            if (study.scores().stream().noneMatch(s -> s.loss().equals(e.getKey()) && s.setting().equals(e.getValue()))) {
                throw new LosslabException("--take " + e.getKey() + "=" + e.getValue() + ": no finished run of '" + e.getKey()
                        + "' in " + e.getValue());
            }
        }
        java.util.function.BiPredicate<String, String> kept = (loss, setting) -> !take.containsKey(loss)
                || take.get(loss).equals(setting);
        List<Score> scores = study.scores().stream().filter(s -> kept.test(s.loss(), s.setting())).toList();
        return new Study(scores, verdicts(scores, settings, objectives, baseline),
                study.calibration().stream().filter(c -> kept.test(c.loss(), c.setting())).toList(), study.reproduced(),
                study.checkedRuns(), study.skipped(), study.selectionFolds(), study.validationCounts());
    }

    /**
     * The study restricted to {@code losses} and the baseline: the family Holm's correction runs over is then the methods a
     * study set out to compare (a power sweep's), not every loss a sweep also holds.
     */
    public static Study only(Study study, List<String> losses, List<String> settings, List<String> objectives, String baseline) {
        java.util.Set<String> keep = new java.util.HashSet<>(losses);
        keep.add(baseline);
        java.util.Set<String> present = new java.util.HashSet<>();
        study.scores().forEach(s -> present.add(s.loss()));
        for (String l : losses) {
            if (!present.contains(l)) {
                throw new LosslabException("--losses: no finished run of '" + l + "' in the study (it has "
                        + String.join(", ", new java.util.TreeSet<>(present)) + ")");
            }
        }
        List<Score> scores = study.scores().stream().filter(s -> keep.contains(s.loss())).toList();
        return new Study(scores, verdicts(scores, settings, objectives, baseline),
                study.calibration().stream().filter(c -> keep.contains(c.loss())).toList(), study.reproduced(),
                study.checkedRuns(), study.skipped(), study.selectionFolds(), study.validationCounts());
    }

    private static List<Verdict> verdicts(List<Score> scores, List<String> settings, List<String> objectives, String baseline,
                                          ToDoubleFunction<Score> mineValue) {
        List<Verdict> out = new ArrayList<>();
        for (String setting : settings) {
            for (String o : objectives) {
                List<Score> here = scores.stream().filter(s -> s.setting().equals(setting) && s.objective().equals(o)).toList();
                Map<String, double[]> diffs = PairedDifferences.against(here, baseline, Score::loss,
                        s -> s.split() + "|" + s.seed(), mineValue, Score::tuned);
                List<String> paired = new ArrayList<>(diffs.keySet());
                double[] p = paired.stream().mapToDouble(l -> PairedTests.signFlipP(diffs.get(l))).toArray();
                double[] holm = PairedTests.holm(p);
                for (String loss : here.stream().map(Score::loss).distinct().toList()) {
                    List<Score> mine = here.stream().filter(s -> s.loss().equals(loss)).toList();
                    double argmax = mine.stream().mapToDouble(Score::argmax).average().orElse(Double.NaN);
                    double tuned = mine.stream().mapToDouble(Score::tuned).average().orElse(Double.NaN);
                    int i = paired.indexOf(loss);
                    if (i < 0) { // the baseline itself, or a loss with no run on the baseline's splits and seeds
                        out.add(new Verdict(setting, o, loss, loss.equals(baseline) ? mine.size() : 0, argmax, tuned,
                                Double.NaN, Double.NaN, Double.NaN, Double.NaN, new double[] {Double.NaN, Double.NaN}));
                        continue;
                    }
                    double[] d = diffs.get(loss);
                    out.add(new Verdict(setting, o, loss, d.length, argmax, tuned, Comparison.mean(d), Comparison.halfWidth(d),
                            p[i], holm[i], PairedTests.bootstrapInterval(d)));
                }
            }
        }
        return out;
    }

    private static double mean(List<RunRecord.CalibrationMetrics> cs, ToDoubleFunction<RunRecord.CalibrationMetrics> f) {
        return cs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

}
