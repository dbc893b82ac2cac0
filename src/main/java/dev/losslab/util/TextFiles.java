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

    /** The file's lines, gunzipped when its name ends in {@code .gz}; {@code what} names it in errors. */
    public static List<String> readLines(Path file, String what) {
        try {
            if (file.getFileName() != null && file.getFileName().toString().endsWith(".gz")) {
                try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                        new java.util.zip.GZIPInputStream(Files.newInputStream(file)), java.nio.charset.StandardCharsets.UTF_8))) {
                    return in.lines().toList();
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                }
            }
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw failure(file, what, e);
        }
    }

    /**
     * {@code dir/name}, or {@code dir/name.gz} when only the compressed copy exists (results commit
     * probability files gzipped); {@code dir/name} when neither does.
     */
    public static Path plainOrGzipped(Path dir, String name) {
        Path plain = dir.resolve(name);
        Path gz = dir.resolve(name + ".gz");
        return !Files.exists(plain) && Files.exists(gz) ? gz : plain;
    }

    private static LosslabException failure(Path file, String what, IOException e) {
        return e instanceof NoSuchFileException ? new LosslabException(file + ": " + what + " not found")
                : new LosslabException(file + ": cannot read " + what + " (" + e.getMessage() + ")");
    }
}
