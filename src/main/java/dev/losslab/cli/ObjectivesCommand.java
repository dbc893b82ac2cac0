package dev.losslab.cli;

import dev.losslab.experiment.SafeName;
import dev.losslab.report.Comparison;
import dev.losslab.report.ObjectiveReport;
import dev.losslab.report.ObjectiveStudy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "objectives", mixinStandardHelpOptions = true,
        description = "Ask the notebook's question per objective: re-tune every finished run of the given sweeps on its "
                + "saved validation probabilities for accuracy, balanced accuracy and macro-F1, score the chosen rule on "
                + "test, and pair each loss with cross-entropy per (split, seed) (permutation test, Holm). Writes "
                + "objectives.md and objectives.csv to --out and prints the markdown.")
public final class ObjectivesCommand implements Callable<Integer> {
    @Option(names = "--results", defaultValue = "results", description = "folder holding <setting>/runs/*/ (default: ${DEFAULT-VALUE})")
    Path results;

    @Option(names = "--settings", split = ",", defaultValue = "baselines-binary,baselines-three-class,baselines-ten-class",
            description = "sweeps to study, comma-separated (default: ${DEFAULT-VALUE})")
    List<String> settings;

    @Option(names = "--objectives", split = ",", defaultValue = "accuracy,balanced_accuracy,macro_f1",
            description = "accuracy, balanced_accuracy, macro_f1 (default: ${DEFAULT-VALUE})")
    List<String> objectives;

    @Option(names = "--baseline", defaultValue = Comparison.BASELINE, description = "the loss the others are paired with (default: ${DEFAULT-VALUE})")
    String baseline;

    @Option(names = "--out", description = "where to write (default: <results>/baselines)")
    Path out;

    @Option(names = "--selection-folds", defaultValue = "0", paramLabel = "N",
            description = "choose each run's rule by cross-fitting over N stratified validation folds instead of on the "
                    + "validation fit itself (0, the default, as the runs chose)")
    int selectionFolds;

    @Option(names = "--jobs", paramLabel = "N", description = "runs re-tuned at a time (default: the machine's cores); "
            + "the report is the same for any N")
    Integer jobs;

    @Option(names = "--pool", paramLabel = "NAME", description = "study the sweeps' runs as one setting NAME (a power "
            + "sweep's seeds beside the first sweep's); a (split, loss, seed) in two sweeps is refused")
    String pool;

    @Option(names = "--losses", split = ",", paramLabel = "LOSS,...", description = "compare only these losses with the "
            + "baseline (Holm's family is then these); default: every loss the runs hold")
    List<String> losses;

    @Option(names = "--take", paramLabel = "LOSS=SETTING", description = "take LOSS's runs from SETTING only (one of "
            + "--settings), e.g. a notebook loss under the recipe chosen for it; repeatable")
    Map<String, String> take;

    @Option(names = "--per-split", description = "test each split on its own first (Holm across the losses of one split), "
            + "the pooled verdicts after it as the second view")
    boolean perSplit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (take != null) { // before the re-tuning, which takes minutes
            ObjectiveStudy.checkTake(take, settings);
        }
        ObjectiveStudy.Study study = ObjectiveStudy.run(results, settings, objectives, baseline, selectionFolds,
                jobs != null ? jobs : Runtime.getRuntime().availableProcessors(), line -> {
            err.println(line);
            err.flush();
        });
        List<String> named = settings;
        if (take != null) {
            study = ObjectiveStudy.take(study, take, settings, objectives, baseline);
        }
        if (pool != null) {
            SafeName.check("--pool", pool);
            study = ObjectiveStudy.pool(study, pool, objectives, baseline);
            named = List.of(pool);
        }
        if (losses != null) {
            study = ObjectiveStudy.only(study, losses, named, objectives, baseline);
        }
        String text = ObjectiveReport.write(study, settings, named, objectives, baseline,
                out != null ? out : results.resolve("baselines"), perSplit, losses, take);
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
