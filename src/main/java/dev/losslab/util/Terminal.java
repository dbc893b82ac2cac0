package dev.losslab.util;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether progress should be drawn live (a status line redrawn with carriage returns) or written as
 * plain lines: live only on a terminal. {@code LOSSLAB_PROGRESS=live|lines} overrides (the sweep
 * sets it for its workers, whose stderr is a pipe to the parent).
 */
public final class Terminal {
    public static final String ENV = "LOSSLAB_PROGRESS";

    private Terminal() {
    }

    /** True when {@code out} is the process's stdout or stderr and that is a terminal (or the override says live). */
    public static boolean isLive(PrintStream out) {
        String override = System.getenv(ENV);
        if (override != null && !override.isBlank()) {
            return override.trim().toLowerCase(Locale.ROOT).equals("live");
        }
        int fd = out == System.err ? 2 : out == System.out ? 1 : -1;
        return fd > 0 && isTerminal(fd);
    }

    /** Linux: the descriptor links to a tty device; elsewhere: the JVM has a console. */
    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.exists(Path.of("/proc/self/fd"))) {
            try {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
