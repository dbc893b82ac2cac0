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
}
