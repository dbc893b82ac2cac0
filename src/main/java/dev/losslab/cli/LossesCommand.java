package dev.losslab.cli;

import dev.losslab.loss.LossRegistry;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "losses", mixinStandardHelpOptions = true, description = "List every loss: name, K=2 / K>2 support, parameters with defaults, source.")
public final class LossesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var w = spec.commandLine().getOut();
        w.println(String.format(Locale.ROOT, "%-34s %-4s %-4s %-44s %s", "name", "K=2", "K>2", "parameters (defaults)", "source"));
        for (var e : LossRegistry.entries().values()) {
            String params = e.parameters().isEmpty() ? "-" : e.parameters().stream()
                    .map(p -> p.name() + "=" + p.defaultValue()).collect(java.util.stream.Collectors.joining(", "));
            w.println(String.format(Locale.ROOT, "%-34s %-4s %-4s %-44s %s", e.name(), e.binary() ? "yes" : "no",
                    e.multiclass() ? "yes" : "no", params, e.source()));
        }
        w.flush();
        return 0;
    }
}
