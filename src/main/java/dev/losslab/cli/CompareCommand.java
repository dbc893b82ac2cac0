package dev.losslab.cli;

import dev.losslab.report.Comparison;
import dev.losslab.report.ReferenceTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare the sweeps under --results with the notebook's tables; writes and prints COMPARISON.md.")
public final class CompareCommand implements Callable<Integer> {
    @Option(names = "--results", defaultValue = "results", description = "folder holding <setting>/runs/*/run.json (default: ${DEFAULT-VALUE})")
    Path results;

    @Option(names = "--reference", defaultValue = "results/reference/keras-notebook.csv", description = "the notebook's tables (default: ${DEFAULT-VALUE})")
    Path reference;

    @Option(names = "--out", description = "where to write (default: <results>/COMPARISON.md)")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String text = Comparison.write(results, ReferenceTable.read(reference), out != null ? out : results.resolve("COMPARISON.md"));
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
