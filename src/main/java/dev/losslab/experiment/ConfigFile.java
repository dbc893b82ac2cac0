package dev.losslab.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.losslab.LosslabException;
import dev.losslab.util.TextFiles;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Reads a JSON config into a record and validates it; every problem is one line naming the file. */
final class ConfigFile {
    private ConfigFile() {
    }

    static <T> T read(Path file, Class<T> type, UnaryOperator<T> validate) {
        String text = TextFiles.read(file, "config file");
        try {
            return validate.apply(RunConfig.JSON.readValue(text, type));
        } catch (JsonProcessingException e) {
            // a value our own checks refused while Jackson built the record (an unknown padding, a
            // missing data folder): say what they said, not Jackson's wrapper
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof LosslabException l) {
                    throw new LosslabException(file + ": " + l.getMessage());
                }
            }
            throw describe(file, e);
        } catch (LosslabException e) {
            throw new LosslabException(file + ": " + e.getMessage());
        }
    }

    private static LosslabException describe(Path file, JsonProcessingException jsonError) {
        try {
            throw jsonError;
        } catch (UnrecognizedPropertyException e) {
            String valid = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            return new LosslabException(file + ": unknown field '" + e.getPropertyName() + "' (valid: " + valid + ")");
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return new LosslabException(file + ": invalid value" + (field.isEmpty() ? "" : " for '" + field + "'")
                    + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (JsonProcessingException e) {
            return new LosslabException(file + ": not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("")
                    + " at line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        }
    }
}
