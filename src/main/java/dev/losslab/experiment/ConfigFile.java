package dev.losslab.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.losslab.LosslabException;
import dev.losslab.util.TextFiles;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Reads a JSON config into a record and validates it; every problem is one line naming the file. */
final class ConfigFile {
    private ConfigFile() {
    }

    static <T> T read(Path file, Class<T> type, UnaryOperator<T> validate) {
        return read(file, type, validate, UnaryOperator.identity());
    }

    /** As above, with {@code select} picking the part of the JSON that is the config (a run.json's {@code config}). */
    static <T> T read(Path file, Class<T> type, UnaryOperator<T> validate,
                      UnaryOperator<com.fasterxml.jackson.databind.JsonNode> select) {
        String text = TextFiles.read(file, "config file");
        try {
            com.fasterxml.jackson.databind.JsonNode root = RunConfig.JSON.readTree(text);
            com.fasterxml.jackson.databind.JsonNode chosen = select.apply(root);
            // the file itself read as before (field paths and line numbers in errors); a part of it as a tree
            return validate.apply(chosen == root ? RunConfig.JSON.readValue(text, type)
                    : RunConfig.JSON.treeToValue(chosen, type));
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

    /** The field's path in the config, e.g. "data.imageSize" or "keepFractions[0]". */
    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder field = new StringBuilder();
        for (var r : e.getPath()) {
            if (r.getFieldName() != null) {
                field.append(field.length() == 0 ? "" : ".").append(r.getFieldName());
            } else {
                field.append('[').append(r.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    /** A Java type in a config's words. */
    static String expected(Class<?> t) {
        if (t == null) {
            return "another kind of value";
        }
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            return "a number";
        }
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return "a whole number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (t == String.class || t.isEnum()) {
            return "a string";
        }
        if (t.isArray() || java.util.Collection.class.isAssignableFrom(t)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(t) || t.isRecord()) {
            return "an object";
        }
        return "another kind of value";
    }

    /** The value a Jackson message describes, in words ("from String value ('big')" -> the string 'big'). */
    static String found(String m) {
        if (m.contains("START_ARRAY") || m.contains("from Array value")) {
            return "a list";
        }
        if (m.contains("START_OBJECT") || m.contains("from Object value")) {
            return "an object";
        }
        java.util.regex.Matcher v = java.util.regex.Pattern.compile("from (String|Integer|Floating-point|Boolean) value \\('?([^)']*)'?\\)")
                .matcher(m);
        if (v.find()) {
            return v.group(1).equals("String") ? "the string '" + v.group(2) + "'" : v.group(2);
        }
        return "something else";
    }

    /** The JSON value Jackson was looking at, in words. */
    static String token(MismatchedInputException e) {
        String m = String.valueOf(e.getOriginalMessage());
        String described = found(m);
        if (!described.equals("something else")) {
            return described;
        }
        if (!(e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p) || p.currentToken() == null) {
            return "something else";
        }
        try {
            return switch (p.currentToken()) {
                case START_ARRAY, END_ARRAY -> "a list";
                case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
                case VALUE_STRING -> "the string '" + p.getText() + "'";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + p.getText();
                case VALUE_TRUE, VALUE_FALSE -> p.getText();
                case VALUE_NULL -> "null";
                default -> "something else";
            };
        } catch (java.io.IOException ex) {
            return "something else";
        }
    }

    private static LosslabException describe(Path file, JsonProcessingException outer) {
        // Jackson may wrap the mismatch that names the field in a mapping error (records built by creators)
        JsonProcessingException jsonError = outer;
        for (Throwable t = outer; t != null; t = t.getCause()) {
            if (t instanceof MismatchedInputException m) {
                jsonError = m;
                break;
            }
        }
        if (jsonError instanceof UnrecognizedPropertyException e) {
            java.util.Set<String> known = new java.util.TreeSet<>();
            e.getKnownPropertyIds().forEach(k -> known.add(k.toString()));
            var ignored = e.getReferringClass() == null ? null
                    : e.getReferringClass().getAnnotation(com.fasterxml.jackson.annotation.JsonIgnoreProperties.class);
            if (ignored != null && e.getPath().size() == 1) {
                known.addAll(java.util.List.of(ignored.value())); // top-level keys the CLI reads (onednn)
            }
            String valid = String.join(", ", known);
            return new LosslabException(file + ": unknown field '" + path(e) + "' (valid: " + valid + ")");
        }
        if (jsonError instanceof com.fasterxml.jackson.databind.exc.InvalidDefinitionException d && !d.getPath().isEmpty()) {
            // e.g. a string where Jackson builds an int[] through a record's creator
            Class<?> type = d.getType() == null ? null : d.getType().getRawClass();
            return new LosslabException(file + ": invalid value for '" + path(d) + "': expected " + expected(type) + ", got "
                    + found(String.valueOf(d.getOriginalMessage())));
        }
        if (jsonError instanceof MismatchedInputException e) {
            String field = path(e);
            String got = e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f
                    ? "'" + f.getValue() + "'" : token(e);
            return new LosslabException(file + ": invalid value" + (field.length() == 0 ? "" : " for '" + field + "'")
                    + ": expected " + expected(e.getTargetType()) + ", got " + got);
        }
        return new LosslabException(file + ": not valid JSON (" + jsonError.getOriginalMessage().lines().findFirst().orElse("")
                + " at line " + (jsonError.getLocation() == null ? "?" : jsonError.getLocation().getLineNr()) + ")");
    }
}
