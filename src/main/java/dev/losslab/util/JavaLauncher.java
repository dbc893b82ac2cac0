package dev.losslab.util;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts losslab's CLI in a new JVM like this one: the same java binary, class
 * path and JVM flags (native access, heap), so a worker process or a Slurm task runs exactly the
 * code that planned it. The CLI registers its entry point ({@link #register}) when it starts, so this low
 * room names no class above it.
 */
public final class JavaLauncher {
    private static volatile String main;

    private JavaLauncher() {
    }

    /**
     * As {@link #command}, for another machine (a Slurm node): without the launcher's pointer to this
     * machine's extracted TensorFlow libraries ({@code -Dorg.bytedeco.javacpp.findLibraries=false} and its
     * {@code -Djava.library.path}), so JavaCPP finds or extracts them there itself.
     */
    public static List<String> portableCommand() {
        return portable(command());
    }

    static List<String> portable(List<String> command) {
        List<String> cmd = new ArrayList<>(command);
        if (cmd.remove("-Dorg.bytedeco.javacpp.findLibraries=false")) {
            cmd.removeIf(a -> a.startsWith("-Djava.library.path="));
        }
        return cmd;
    }

    /**
     * As {@link #command}, for a sweep's worker on this machine: with the JIT stopped at its first tier
     * ({@code -XX:TieredStopAtLevel=1}) unless the flags already choose a tier. A worker's Java is set-up and feeding
     * TF, while C2's compiler threads compete with the other workers for the cores as they all start: measured on the
     * quickstart (two workers on two cores), a run's time outside training 2.13-2.37 s with C2 against 1.54-1.88 s
     * without, training no slower (docs/performance.md).
     */
    public static List<String> workerCommand() {
        return forWorker(command());
    }

    static List<String> forWorker(List<String> command) {
        List<String> cmd = new ArrayList<>(command);
        boolean chosen = cmd.stream().anyMatch(a -> a.startsWith("-XX:TieredStopAtLevel") || a.equals("-XX:-TieredCompilation"));
        if (!chosen) {
            cmd.add(1, "-XX:TieredStopAtLevel=1");
        }
        return cmd;
    }

    /** {@code java [flags] -cp CP <the registered entry point>}; append the subcommand and its options. */
    public static List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // debugger and agent flags belong to this JVM only
            if (!a.startsWith("-agentlib:") && !a.startsWith("-javaagent:") && !a.startsWith("-Xrunjdwp")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(mainClass());
        return cmd;
    }

    /** Makes {@code entryPoint} the class a new JVM starts (the CLI's {@code Main}, registered as it starts). */
    public static void register(Class<?> entryPoint) {
        main = entryPoint.getName();
    }

    /** The registered entry point's class name. */
    public static String mainClass() {
        String m = main;
        if (m == null) {
            throw new IllegalStateException("no entry point registered (the CLI registers its Main as it starts)");
        }
        return m;
    }

    /** The class path with every entry made absolute, so the command works from any directory. */
    static String classPath() {
        String sep = System.getProperty("path.separator");
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.util.regex.Pattern.quote(sep))) {
            if (e.isEmpty()) {
                continue;
            }
            out.add(e.endsWith("*") ? Path.of(e.substring(0, e.length() - 1)).toAbsolutePath() + "/*"
                    : Path.of(e).toAbsolutePath().toString());
        }
        return String.join(sep, out);
    }
}
