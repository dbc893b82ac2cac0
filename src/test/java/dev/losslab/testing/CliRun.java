package dev.losslab.testing;

import dev.losslab.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** The CLI run in-process through picocli, its exit status and both streams captured (for tests in any package). */
public final class CliRun {
    private CliRun() {
    }

    /** What a command printed and returned. */
    public record Outcome(int status, String out, String err) {
    }

    public static Outcome cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(status, out.toString(), err.toString());
    }
}
