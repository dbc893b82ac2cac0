package dev.losslab.cli;

import dev.losslab.util.JavaLauncher;
import dev.losslab.LosslabException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code losslab} command line. Thin: each subcommand parses, calls the library, prints.
 * Errors a user can act on are one line on stderr and exit status 2; nothing prints a stack trace
 * unless {@code --verbose} is given.
 */
@Command(name = "losslab", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Train image classifiers on imbalanced data (Fashion-MNIST, your folders, IDX, npz or CIFAR files; the "
                + "notebook's CNN or your own layers or Keras JSON) with the field's imbalance losses, tune their decision rule "
                + "on validation, and ship it inside the SavedModel.",
        subcommands = {TrainCommand.class, ExperimentCommand.class, PredictCommand.class, TuneCommand.class,
                CompareCommand.class, PlotCommand.class, BenchCommand.class, LossesCommand.class, SlurmCommand.class,
                ObjectivesCommand.class, DataCommand.class, SummaryCommand.class, ExportCommand.class, CacheCommand.class,
                WarmupCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int USER_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Read from the raw arguments in {@link #execute}; declared here so every subcommand accepts it. */
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "show TensorFlow's native log and stack traces")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit status (used by tests). */
    private static volatile String[] currentArgs;

    /** The arguments of the command running now (a command that must run again in a child JVM reuses them). */
    static String[] currentArgs() {
        return currentArgs == null ? null : currentArgs.clone();
    }

    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        JavaLauncher.register(Main.class); // workers, Slurm tasks and oneDNN re-runs start this class
        currentArgs = args.clone();
        boolean verbose = false;
        for (String a : args) {
            verbose |= a.equals("--verbose");
        }
        final boolean showStack = verbose;
        CommandLine cli = new CommandLine(new Main());
        tailorSharedOptions(cli);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("losslab: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help')");
            err.flush();
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof LosslabException) {
                err.println("losslab: error: " + oneLine(ex.getMessage()));
            } else {
                err.println("losslab: internal error: " + ex.getClass().getSimpleName() + ": " + oneLine(ex.getMessage())
                        + (showStack ? "" : " (run with --verbose for the stack trace)"));
            }
            if (showStack) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ex instanceof LosslabException ? USER_ERROR : 1;
        });
        // "losslab summary --help" must not print the top-level usage with exit 0: an unknown command is an error
        if (args.length > 0 && !args[0].startsWith("-") && !cli.getSubcommands().containsKey(args[0])) {
            err.println("losslab: unknown command '" + oneLine(args[0]) + "' (commands: "
                    + String.join(", ", cli.getSubcommands().entrySet().stream()
                            .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden()).map(java.util.Map.Entry::getKey)
                            .toList()) + "; see 'losslab --help')");
            err.flush();
            return USER_ERROR;
        }
        return cli.execute(args);
    }

    /** Commands that read a run or sweep config, whose values --precision and --onednn override. */
    private static final java.util.Set<String> CONFIG_COMMANDS = java.util.Set.of("train", "experiment");

    /**
     * The shared options' help, true for each command: a sweep's runs take 1 thread each by default (not all cores), and
     * only the commands with a config have a config value for --precision and --onednn to override.
     */
    static void tailorSharedOptions(CommandLine cli) {
        for (var e : cli.getSubcommands().entrySet()) {
            CommandLine.Model.CommandSpec spec = e.getValue().getCommandSpec();
            String name = e.getKey();
            replaceDescription(spec, "--threads", name.equals("experiment")
                    ? "TF intra-op threads of each run; 0 (default) = 1 per run, so a run's numbers do not depend on how the "
                    + "sweep is scheduled (--jobs then fills the cores)"
                    : "TF intra-op threads; 0 = all cores (default)");
            if (!CONFIG_COMMANDS.contains(name)) {
                replaceDescription(spec, "--precision", "fp32 or bf16 (mixed precision, CPUs with AVX512_BF16/AMX) "
                        + "(default: fp32)");
                replaceDescription(spec, "--onednn", "auto (default), on or off: TensorFlow's oneDNN CPU kernels. The "
                        + "launcher sets TF_ENABLE_ONEDNN_OPTS before TensorFlow starts (auto = on, measured faster); a process "
                        + "started with the other setting runs the command again in a child JVM");
            }
        }
    }

    private static void replaceDescription(CommandLine.Model.CommandSpec spec, String option, String description) {
        CommandLine.Model.OptionSpec o = spec.findOption(option);
        if (o == null) {
            return;
        }
        spec.remove(o);
        spec.addOption(CommandLine.Model.OptionSpec.builder(o).description(description).build());
    }

    static String oneLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
