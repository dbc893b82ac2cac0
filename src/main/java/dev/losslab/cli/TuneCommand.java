package dev.losslab.cli;

import dev.losslab.metrics.Calibration;
import dev.losslab.metrics.Objective;
import dev.losslab.tune.DecisionRules;
import dev.losslab.tune.TemperatureScaling;
import dev.losslab.LosslabException;
import dev.losslab.data.AtomicFiles;
import dev.losslab.experiment.ProbabilityCsv;
import dev.losslab.experiment.TrainingRun;
import dev.losslab.tune.AbsoluteThresholdRule;
import dev.losslab.tune.BinaryThresholdRule;
import dev.losslab.tune.DecisionRule;
import dev.losslab.tune.DecisionTreeTuner;
import dev.losslab.tune.RelativeThresholdRule;
import dev.losslab.tune.SimplexSearch;
import dev.losslab.tune.TreeRule;
import dev.losslab.tune.TuningMethod;
import dev.losslab.tune.Tuner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Fit decision rules on validation probabilities (label,p0,.. CSV from any model) for an objective "
                + "(accuracy, balanced accuracy, macro-F1 or a cost matrix), report validation and test scores per method, and "
                + "write the rule chosen on validation, or by cross-fitting over stratified validation folds "
                + "(--selection-folds).")
public final class TuneCommand implements Callable<Integer> {
    @Option(names = "--probabilities", required = true, description = "validation probabilities CSV (label,p0,...)")
    Path probabilities;

    @Option(names = "--objective", defaultValue = "accuracy", description = "what tuning maximises on validation: accuracy, "
            + "balanced_accuracy, macro_f1 or cost (with --cost) (default: ${DEFAULT-VALUE})")
    String objective;

    @Option(names = "--cost", description = "K x K cost matrix for --objective cost, rows = true class: inline with ';' "
            + "between rows, e.g. '0,1;5,0' (missing a positive costs 5), or a JSON file holding [[0,1],[5,0]]")
    String cost;

    @Option(names = "--method", defaultValue = "all", description = "all, argmax, grid (K=2), logit_adjustment, tree, absolute or relative (K>2) (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--search", description = "exhaustive, random or refine (default: exhaustive for K=3, refine for K>3)")
    String search;

    @Option(names = "--step", defaultValue = "0.01", description = "simplex grid step and smallest threshold (default: ${DEFAULT-VALUE})")
    double step;

    @Option(names = "--samples", defaultValue = "2000", description = "random threshold vectors (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--seed", defaultValue = "1", description = "seed for random search and tree CV (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--tree-depth", paramLabel = "D", description = "fit the tree at this maximum depth (at most 2^D "
            + "leaves) instead of choosing its size by 5-fold cross-validation among depths 2-8 and leaves of 5 or 20")
    Integer treeDepth;

    @Option(names = "--tree-leaf", paramLabel = "N", description = "smallest number of validation rows in a tree leaf, "
            + "with --tree-depth (default: 5)")
    Integer treeLeaf;

    @Option(names = "--test", description = "test probabilities CSV: scored, never used to choose")
    Path test;

    @Option(names = "--out", description = "write the chosen rule (JSON) here")
    Path out;

    @Option(names = "--selection-folds", defaultValue = "0", paramLabel = "N",
            description = "choose the method by cross-fitting over N stratified validation folds (each method fitted on "
                    + "N-1, scored on the held-out fold; the chosen one refitted on all) instead of by its score on the "
                    + "validation set it was fitted to (0, the default)")
    int selectionFolds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ProbabilityCsv.Table val = ProbabilityCsv.read(probabilities);
        int k = val.numClasses();
        ProbabilityCsv.Table testTable = test == null ? null : ProbabilityCsv.read(test);
        if (testTable != null && testTable.numClasses() != k) {
            throw new LosslabException(test + ": has " + testTable.numClasses() + " classes but " + probabilities + " has " + k);
        }
        List<TuningMethod> methods = new ArrayList<>();
        if (method.equalsIgnoreCase("all")) {
            methods.addAll(TuningMethod.allFor(k));
        } else {
            TuningMethod m = TuningMethod.parse(method);
            if (!m.appliesTo(k)) {
                throw new LosslabException("method '" + method + "' does not apply to " + k + " classes; valid: all, "
                        + TuningMethod.allFor(k).stream().map(TuningMethod::configName).toList());
            }
            methods.add(m);
        }
        SimplexSearch.Options defaults = SimplexSearch.Options.defaultsFor(k, seed);
        SimplexSearch.Options searchOptions = new SimplexSearch.Options(
                search == null ? defaults.strategy() : SimplexSearch.Strategy.parse(search), step, samples, seed);
        if (treeLeaf != null && treeDepth == null) {
            throw new LosslabException("--tree-leaf needs --tree-depth (without it the tree's size is cross-validated)");
        }
        DecisionTreeTuner.Options tree = treeDepth == null ? DecisionTreeTuner.Options.crossValidated(seed)
                : new DecisionTreeTuner.Options(treeDepth, null, treeLeaf, seed);
        Tuner.Settings settings = new Tuner.Settings(methods, searchOptions, tree,
                Objective.parse(objective, parseCost(cost), k), selectionFolds);
        Tuner.Report report = Tuner.tune(val.probabilities(), val.labels(),
                testTable == null ? null : testTable.probabilities(), testTable == null ? null : testTable.labels(), k, settings);

        var w = spec.commandLine().getOut();
        w.println(String.format(Locale.ROOT, "%d validation rows, K=%d%s", val.labels().length, k,
                testTable == null ? "" : ", " + testTable.labels().length + " test rows"));
        boolean acc = settings.objective().isAccuracy();
        if (!acc) {
            w.println("objective: " + settings.objective().name() + " (chosen and fitted on validation)");
        }
        if (selectionFolds >= 2) {
            w.println("chosen by cross-fitting over " + selectionFolds + " stratified validation folds:");
            for (Tuner.MethodResult r : report.methods()) {
                w.println(String.format(Locale.ROOT, "  %-16s out-of-fold %s %.4f", r.method().configName(),
                        settings.objective().name(), r.crossFittedObjective()));
            }
        }
        w.println(String.format(Locale.ROOT, "%-16s %-10s %-10s %s%-8s %s", "method", "val acc", "test acc",
                acc ? "" : String.format(Locale.ROOT, "%-10s %-10s ", "val obj", "test obj"), "seconds", "rule"));
        for (Tuner.MethodResult r : report.methods()) {
            w.println(String.format(Locale.ROOT, "%-16s %-10.4f %-10s %s%-8.2f %s%s", r.method().configName(),
                    r.validationAccuracy(), Double.isNaN(r.testAccuracy()) ? "-" : String.format(Locale.ROOT, "%.4f", r.testAccuracy()),
                    acc ? "" : String.format(Locale.ROOT, "%-10.4f %-10s ", r.validationObjective(),
                            Double.isNaN(r.testObjective()) ? "-" : String.format(Locale.ROOT, "%.4f", r.testObjective())),
                    r.seconds(), describe(r.rule()), r.method() == report.chosen() ? "  <- chosen" : ""));
        }
        double t = TemperatureScaling.fit(val.probabilities(), val.labels(), k);
        w.println(String.format(Locale.ROOT, "calibration: validation NLL %.4f, ECE %.4f; temperature fitted on validation "
                        + "NLL %.3f (argmax unchanged)%s", Calibration.nll(val.probabilities(), val.labels(), k),
                Calibration.ece(val.probabilities(), val.labels(), k), t, testTable == null ? ""
                        : String.format(Locale.ROOT, "; test NLL %.4f -> %.4f, ECE %.4f -> %.4f",
                        Calibration.nll(testTable.probabilities(), testTable.labels(), k),
                        Calibration.nll(TemperatureScaling.apply(testTable.probabilities(), k, t),
                                testTable.labels(), k),
                        Calibration.ece(testTable.probabilities(), testTable.labels(), k),
                        Calibration.ece(TemperatureScaling.apply(testTable.probabilities(), k, t),
                                testTable.labels(), k))));
        w.flush();
        if (out != null) {
            AtomicFiles.writeString(out, TrainingRun.JSON.writeValueAsString(report.chosenResult().rule()));
        }
        return 0;
    }

    /** "0,1;5,0" -> {{0, 1}, {5, 0}}; null stays null. */
    static double[][] parseCost(String text) {
        if (text == null) {
            return null;
        }
        java.nio.file.Path file = costFile(text);
        if (file != null) {
            return costMatrixFile(file);
        }
        String[] rows = text.split(";");
        double[][] m = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            String[] cells = rows[i].split(",");
            m[i] = new double[cells.length];
            for (int j = 0; j < cells.length; j++) {
                try {
                    m[i][j] = Double.parseDouble(cells[j].trim());
                } catch (NumberFormatException e) {
                    throw new LosslabException("--cost: '" + cells[j].trim() + "' is not a number; give the matrix inline "
                            + "(rows separated by ';', cells by ',', e.g. '0,1;5,0') or a JSON file such as [[0,1],[5,0]]");
                }
            }
        }
        return m;
    }

    private static final String WANT = "want a JSON matrix of numbers such as [[0, 1], [5, 0]]";

    /** A JSON file holding a matrix of numbers; anything else is one line naming the file and the cell. */
    static double[][] costMatrixFile(java.nio.file.Path file) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = TrainingRun.JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var at = e.getLocation();
            throw new LosslabException("--cost " + file + ": not valid JSON" + (at == null ? "" : " (line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + ")") + "; " + WANT);
        } catch (IOException e) {
            throw new LosslabException("--cost " + file + ": cannot read (" + LosslabException.firstLine(e.getMessage()) + ")");
        }
        if (root == null || root.isMissingNode() || !root.isArray() || root.isEmpty()) {
            throw new LosslabException("--cost " + file + ": " + (root == null || root.isMissingNode() || root.isEmpty()
                    && root.isArray() ? "empty" : "holds " + kind(root)) + "; " + WANT);
        }
        double[][] m = new double[root.size()][];
        for (int i = 0; i < m.length; i++) {
            var row = root.get(i);
            if (!row.isArray()) {
                throw new LosslabException("--cost " + file + ": row " + (i + 1) + " is " + kind(row) + ", not a list; " + WANT);
            }
            m[i] = new double[row.size()];
            for (int j = 0; j < m[i].length; j++) {
                var cell = row.get(j);
                if (!cell.isNumber()) {
                    throw new LosslabException("--cost " + file + ": row " + (i + 1) + ", column " + (j + 1) + " is "
                            + kind(cell) + ", not a number; " + WANT);
                }
                m[i][j] = cell.doubleValue();
            }
        }
        return m;
    }

    private static String kind(com.fasterxml.jackson.databind.JsonNode n) {
        String text = n.toString();
        return (n.isObject() ? "an object " : n.isTextual() ? "the text " : n.isNull() ? "" : n.isArray() ? "a list " : "")
                + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }

    /** The file {@code text} names when it is one (a .json name, or an existing file), else null. */
    private static java.nio.file.Path costFile(String text) {
        if (text.contains(";") || text.matches("[-0-9.eE,\\s]+")) {
            return null;
        }
        java.nio.file.Path p = java.nio.file.Path.of(text);
        if (java.nio.file.Files.isRegularFile(p) || text.toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
            if (!java.nio.file.Files.isRegularFile(p)) {
                throw new LosslabException("--cost " + text + ": file not found");
            }
            return p;
        }
        return null;
    }

    static String describe(DecisionRule rule) {
        return DecisionRules.describe(rule);
    }
}
