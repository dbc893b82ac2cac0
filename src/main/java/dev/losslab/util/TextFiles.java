package dev.losslab.util;

import dev.losslab.LosslabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reading a whole text file (config, CSV, rule) with the project's one-line errors naming the file. */
public final class TextFiles {
    private TextFiles() {
    }

    /** The file's text; {@code what} names it in errors ("config", "reference table", ...). */
    public static String read(Path file, String what) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw failure(file, what, e);
        }
    }

    /** The file's lines; {@code what} names it in errors. */
    public static List<String> readLines(Path file, String what) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw failure(file, what, e);
        }
    }

    private static LosslabException failure(Path file, String what, IOException e) {
        return e instanceof NoSuchFileException ? new LosslabException(file + ": " + what + " not found")
                : new LosslabException(file + ": cannot read " + what + " (" + e.getMessage() + ")");
    }
}
