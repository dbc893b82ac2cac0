package dev.losslab;

/**
 * A failure the user can act on: bad input, a missing file, an invalid config, a diverged run.
 * The CLI prints its message as one line and exits non-zero, without a stack trace.
 */
public class LosslabException extends RuntimeException {
    public LosslabException(String message) {
        super(message);
    }

    public LosslabException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first line of a (native library's) message, so it fits a one-line error. */
    public static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * The failure to write something: a full disk (or quota) becomes a {@link DiskFull} saying so in plain words,
     * without the native library's hints; anything else names the cause's first line.
     */
    public static LosslabException writing(String what, Throwable cause) {
        String m = String.valueOf(cause.getMessage());
        if (isDiskFull(cause)) {
            return new DiskFull(what + ": no space left on the disk (free some space; a sweep continues with --resume)", cause);
        }
        String first = firstLine(m);
        int hint = first.indexOf(" Hint:");
        return new LosslabException(what + ": " + (hint > 0 ? first.substring(0, hint) : first), cause);
    }

    /** True when {@code t} (or a cause of it) says the disk or the quota is full. */
    public static boolean isDiskFull(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (m.contains("No space left on device") || m.contains("Disk quota exceeded")
                    || c instanceof DiskFull) {
                return true;
            }
        }
        return false;
    }

    /** A write failed because the disk is full: a sweep stops on it (every later run would fail the same way). */
    public static final class DiskFull extends LosslabException {
        public DiskFull(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
