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
}
