package dev.losslab.data;

import dev.losslab.LosslabException;
import java.nio.file.Path;

/** An IDX file that is truncated, corrupt, or does not match its partner file. */
public final class IdxFormatException extends LosslabException {
    public IdxFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
