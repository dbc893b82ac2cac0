package dev.losslab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import dev.losslab.util.JavaLauncher;
import dev.losslab.train.OneDnn;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The oneDNN setting a command runs with: {@code --onednn} if given, else the config's top-level
 * {@code "onednn"} key, else {@code auto} (whatever the process started with; the launcher starts it on).
 * TensorFlow reads {@code TF_ENABLE_ONEDNN_OPTS} once, when its native library loads, so a process that
 * started with the other setting cannot switch: it runs the same command again in a child JVM (same
 * flags and class path) with the variable set, relays the child's output, and returns its exit status.
 * The child is marked, so a setting that still does not take is one error line, not a loop.
 */
final class OneDnnChoice {
    static final String CHILD_ENV = "LOSSLAB_ONEDNN_CHILD";
    private static final List<String> VALID = List.of("auto", "on", "off");

    private OneDnnChoice() {
    }

    /** "auto", "on" or "off": the flag, else the config's key, else auto; an invalid value is one line. */
    static String wanted(String flag, Path config) {
        if (flag != null) {
            return parse(flag, "--onednn");
        }
        if (config == null || !Files.isRegularFile(config)) {
            return "auto"; // a missing config is reported by the command with its own message
        }
        JsonNode value;
        try {
            JsonNode root = new ObjectMapper().readTree(config.toFile());
            value = root.get("onednn");
            if (root.path("status").isTextual() && root.path("config").isObject() && root.has("provenance")) {
                // a run's own run.json: re-run it with the oneDNN setting it ran with ("on (...)", "off (...)")
                String state = value != null && value.isTextual() ? value.asText().trim() : "";
                String first = state.isEmpty() ? "auto" : state.split("[ (]")[0].toLowerCase(Locale.ROOT);
                return VALID.contains(first) ? first : "auto";
            }
        } catch (IOException | RuntimeException e) {
            return "auto"; // not JSON: the config loader says so, with the line
        }
        if (value == null || value.isNull()) {
            return "auto";
        }
        if (!value.isTextual()) {
            throw new LosslabException(config + ": invalid value for 'onednn': expected one of auto, on, off, got " + value);
        }
        return parse(value.asText(), config + ": onednn");
    }

    private static String parse(String v, String where) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (!VALID.contains(s)) {
            throw new LosslabException(where + ": unknown '" + v + "'; valid: auto, on, off");
        }
        return s;
    }

    /**
     * Runs {@code args} again in a child JVM when this process's oneDNN state is not {@code want};
     * returns the child's exit status, or empty when this process already runs as asked.
     */
    static OptionalInt apply(String want, String[] args, PrintWriter out, PrintWriter err) {
        String state = OneDnn.state();
        if (want.equals("auto") || state.startsWith(want)) {
            return OptionalInt.empty();
        }
        if (System.getenv(CHILD_ENV) != null || args == null) {
            throw new LosslabException("oneDNN " + want + " was asked for, but this process runs with oneDNN " + state
                    + "; set " + OneDnn.ENV + "=" + (want.equals("on") ? 1 : 0) + " before starting it");
        }
        List<String> cmd = new ArrayList<>(JavaLauncher.command());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put(OneDnn.ENV, want.equals("on") ? "1" : "0");
        pb.environment().put(CHILD_ENV, "1");
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        err.println("losslab: oneDNN " + want + " asked for (this process: " + state + "); running the command again with "
                + OneDnn.ENV + "=" + (want.equals("on") ? 1 : 0));
        err.flush();
        try {
            Process p = pb.start();
            Thread relayErr = relay(p.getErrorStream(), err);
            relay(p.getInputStream(), out).join();
            relayErr.join();
            return OptionalInt.of(p.waitFor());
        } catch (IOException e) {
            throw new LosslabException("cannot start a JVM with oneDNN " + want + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LosslabException("interrupted while running the command with oneDNN " + want);
        }
    }

    private static Thread relay(InputStream in, PrintWriter to) {
        Thread t = new Thread(() -> {
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (to) {
                        to.println(line);
                        to.flush();
                    }
                }
            } catch (IOException ignored) {
                // the child ended; its exit status says how
            }
        }, "onednn-child-relay");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
