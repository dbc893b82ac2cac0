package dev.losslab.experiment;

import dev.losslab.tune.TuningMethod;
import dev.losslab.tune.DecisionRule;
import dev.losslab.tune.Tuner;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * A run's tuning phase: every configured method fitted on the validation probabilities and scored on test, the rule
 * chosen on validation, one log line per method. Without a validation set ({@code validationFraction} 0) the rule
 * stays argmax, said in one line.
 */
record RunTuning(DecisionRule rule, RunRecord.Tuning record) {

    static RunTuning tune(RunConfig config, float[] valP, int[] valY, float[] testP, int[] testY, int k, PrintStream log) {
        Tuner.Settings settings = config.tuningSettings();
        if (valY.length == 0) {
            log.println("note: validationFraction 0: trained on every training image; with no validation set the "
                    + "decision rule stays argmax (nothing is tuned)");
            settings = new Tuner.Settings(List.of(TuningMethod.ARGMAX), settings.search(), settings.tree(),
                    settings.objective());
        }
        Tuner.Report report = Tuner.tune(valP, valY, testP, testY, k, settings);
        // the columns are the objective that chooses (accuracy unless the config says otherwise)
        String objective = settings.objective().name();
        for (var m : report.methods()) {
            log.println(String.format(Locale.ROOT, "  tuning %-16s validation %s %.4f  test %.4f%s%s",
                    m.method().configName(), objective, m.validationObjective(), m.testObjective(),
                    Double.isNaN(m.crossFittedObjective()) ? ""
                            : String.format(Locale.ROOT, "  out-of-fold %.4f", m.crossFittedObjective()),
                    m.method() == report.chosen() ? "  <- chosen on validation " + objective
                            + (Double.isNaN(m.crossFittedObjective()) ? "" : " (out of fold)") : ""));
        }
        RunRecord.Tuning record = new RunRecord.Tuning(report.chosen().configName(), report.methods().stream()
                .map(m -> new RunRecord.Method(m.method().configName(), m.validationAccuracy(), m.testAccuracy(),
                        m.seconds(), m.rule(), m.validationObjective(), m.testObjective(),
                        Double.isNaN(m.crossFittedObjective()) ? null : m.crossFittedObjective())).toList(),
                config.objective());
        return new RunTuning(report.chosenResult().rule(), record);
    }
}
