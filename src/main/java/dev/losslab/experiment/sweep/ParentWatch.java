package dev.losslab.experiment.sweep;

import java.io.PrintStream;

/**
 * A worker of {@code experiment --jobs} ends when the sweep's main process ends (killed, even with -9), instead of
 * training on unseen: the run it was training is left unfinished (its hidden partial folder is cleared by the next
 * worker that takes the run, and its lock, held by a dead process, is stale at once), so {@code --resume} redoes it.
 */
public final class ParentWatch {
    /** The exit status of a worker whose parent ended. */
    public static final int ORPHANED = 3;

    private ParentWatch() {
    }

    /** Starts watching this process's parent; when it ends, prints one line and ends this process. */
    public static void start(PrintStream log) {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            log.println("losslab worker " + ProcessHandle.current().pid() + ": the sweep's main process ended; stopping "
                    + "(--resume redoes the unfinished run)");
            log.flush();
            Runtime.getRuntime().halt(ORPHANED);
        }));
    }
}
