package dev.losslab.experiment;

import dev.losslab.LosslabException;
import java.nio.file.Path;

/**
 * Names taken from a config that become folder names (a sweep's {@code name}, a run id) must stay
 * one plain path element inside the output folder: letters, digits, '.', '_', '-' and '+' (a loss with its
 * sampler, {@code crossentropy+class_balanced}), not starting
 * with '.' or '-', at most 120 characters. So {@code ../x}, {@code a/b}, an absolute path or a
 * control character is refused with one line before anything is written.
 */
public final class SafeName {
    private static final int MAX = 120;

    private SafeName() {
    }

    /** Returns {@code value} when it is a safe single path element; throws a one-line error otherwise. */
    public static String check(String what, String value) {
        String problem = problem(value);
        if (problem != null) {
            throw new LosslabException(what + " " + printable(value) + " is not a safe folder name: " + problem
                    + " (use letters, digits, '.', '_', '-' and '+')");
        }
        return value;
    }

    static String problem(String v) {
        if (v == null || v.isEmpty()) {
            return "it is empty";
        }
        if (v.length() > MAX) {
            return "longer than " + MAX + " characters";
        }
        if (v.contains("..")) {
            return "it contains '..'";
        }
        if (v.startsWith(".") || v.startsWith("-")) {
            return "it starts with '" + v.charAt(0) + "'";
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '/' || c == '\\') {
                return "it contains a path separator";
            }
            if (Character.isISOControl(c)) {
                return "it contains a control character";
            }
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '+'))) {
                return "it contains '" + c + "'";
            }
        }
        return null;
    }

    /** {@code parent/child}, checked to stay inside {@code parent} after normalisation. */
    public static Path inside(Path parent, String child) {
        Path base = parent.toAbsolutePath().normalize();
        Path p = base.resolve(check("run id", child)).normalize();
        if (!p.startsWith(base) || p.equals(base)) {
            throw new LosslabException("run id " + printable(child) + " resolves outside " + parent);
        }
        return parent.resolve(child);
    }

    /** The value quoted, with control characters shown as \\uXXXX so the error stays one line. */
    static String printable(String v) {
        if (v == null) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < v.length() && i < MAX + 10; i++) {
            char c = v.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append(v.length() > MAX + 10 ? "...'" : "'").toString();
    }
}
