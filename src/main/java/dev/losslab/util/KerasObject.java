package dev.losslab.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.losslab.LosslabException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Keras object as a config writes it: {@code {"SGD": {"learning_rate": 0.1, "momentum": 0.9}}} (the class name
 * and its constructor's arguments, Keras' own spelling) or just {@code "SGD"} for the defaults. Every argument is
 * checked against the ones Keras' class takes, with one-line errors naming the field path, the class and the
 * valid names; arguments Keras has that losslab does not implement are refused by name.
 */
public final class KerasObject {
    private final String path;
    private final String className;
    private final Map<String, JsonNode> args;

    private KerasObject(String path, String className, Map<String, JsonNode> args) {
        this.path = path;
        this.className = className;
        this.args = args;
    }

    /**
     * Reads {@code node} at config field {@code path}; {@code classes} are the names accepted (the error lists them).
     */
    public static KerasObject parse(String path, JsonNode node, Set<String> classes) {
        String name;
        Map<String, JsonNode> args = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            throw new LosslabException(path + ": missing; give one of " + sorted(classes));
        }
        if (node.isTextual()) {
            name = node.asText();
        } else if (node.isObject() && node.size() == 1) {
            var e = node.fields().next();
            name = e.getKey();
            JsonNode a = e.getValue();
            if (a == null || a.isNull()) {
                a = JsonNodeFactory.instance.objectNode();
            }
            if (!a.isObject()) {
                throw new LosslabException(path + "." + name + ": arguments must be an object such as {\"name\": value}, found "
                        + a);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                var f = it.next();
                args.put(f.getKey(), f.getValue());
            }
        } else {
            throw new LosslabException(path + ": write {\"ClassName\": {arguments}} or \"ClassName\" (one of " + sorted(classes)
                    + "), found " + abbreviate(node));
        }
        if (!classes.contains(name)) {
            throw new LosslabException(path + ": unknown '" + name + "'; supported: " + sorted(classes));
        }
        return new KerasObject(path, name, args);
    }

    /** Checks the arguments: each must be in {@code known} (Keras' names), and none in {@code unsupported}. */
    public KerasObject allow(Set<String> known, Set<String> unsupported) {
        Registry.checkArguments(className, args.keySet(), known, unsupported, this::where);
        return this;
    }

    public String className() {
        return className;
    }

    public String path() {
        return path + "." + className;
    }

    public boolean has(String arg) {
        return args.containsKey(arg) && !args.get(arg).isNull();
    }

    public JsonNode raw(String arg) {
        return args.get(arg);
    }

    public String where(String arg) {
        return path + "." + className + "." + arg;
    }

    public double number(String arg, double defaultValue) {
        JsonNode v = args.get(arg);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isNumber()) {
            throw new LosslabException(where(arg) + ": expected a number, found " + abbreviate(v));
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw new LosslabException(where(arg) + ": expected a finite number, found " + v);
        }
        return d;
    }

    /** A number that must not be negative. */
    public double nonNegative(String arg, double defaultValue) {
        double d = number(arg, defaultValue);
        if (d < 0) {
            throw new LosslabException(where(arg) + ": must be >= 0, found " + d);
        }
        return d;
    }

    /** A number in {@code [0, 1)} (momentum, betas, rho). */
    public double fraction(String arg, double defaultValue) {
        double d = number(arg, defaultValue);
        if (!(d >= 0 && d < 1)) {
            throw new LosslabException(where(arg) + ": must be in [0, 1), found " + d);
        }
        return d;
    }

    /** An optional non-negative number: null when absent or null. */
    public Double optional(String arg) {
        return has(arg) ? nonNegative(arg, 0) : null;
    }

    public boolean bool(String arg, boolean defaultValue) {
        JsonNode v = args.get(arg);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw new LosslabException(where(arg) + ": expected true or false, found " + abbreviate(v));
        }
        return v.booleanValue();
    }

    public int integer(String arg, int defaultValue) {
        JsonNode v = args.get(arg);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.canConvertToExactIntegral() || !v.isNumber()) {
            throw new LosslabException(where(arg) + ": expected a whole number, found " + abbreviate(v));
        }
        return v.intValue();
    }

    public String text(String arg, String defaultValue, Set<String> valid) {
        JsonNode v = args.get(arg);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isTextual() || valid != null && !valid.contains(v.asText())) {
            throw new LosslabException(where(arg) + ": expected " + (valid == null ? "text" : "one of " + sorted(valid))
                    + ", found " + abbreviate(v));
        }
        return v.asText();
    }

    public double[] numbers(String arg) {
        JsonNode v = args.get(arg);
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw new LosslabException(where(arg) + ": expected a non-empty list of numbers, found "
                    + (v == null ? "nothing" : abbreviate(v)));
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isNumber()) {
                throw new LosslabException(where(arg) + "[" + i + "]: expected a number, found " + abbreviate(v.get(i)));
            }
            out[i] = v.get(i).doubleValue();
        }
        return out;
    }

    /** The object as config JSON again ({@code {"Class": {args}}}), for run.json. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ObjectNode a = o.putObject(className);
        args.forEach(a::set);
        return o;
    }

    public static List<String> sorted(Set<String> names) {
        List<String> l = new ArrayList<>(names);
        java.util.Collections.sort(l);
        return l;
    }

    public static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
