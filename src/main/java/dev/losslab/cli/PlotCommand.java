package dev.losslab.cli;

import dev.losslab.report.Charts;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "PNG charts of the sweeps under --results: accuracy bars, training curves, binary threshold curves, "
                + "reliability diagrams.")
public final class PlotCommand implements Callable<Integer> {
    @Option(names = "--results", defaultValue = "results", description = "folder holding <setting>/runs/*/run.json (default: ${DEFAULT-VALUE})")
    Path results;

    @Option(names = "--out", defaultValue = "graphs", description = "where the PNGs go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--settings", split = ",", description = "only these sweeps (folder names or globs), e.g. binary,three-class "
            + "(default: every sweep under --results)")
    java.util.List<String> settings;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        var files = new Charts(System.err).plotAll(results, out, settings);
        spec.commandLine().getOut().println(files.size() + " charts -> " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
