package dev.losslab.util;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line text progress bar on stderr, redrawn with a carriage return at most every 200 ms, with
 * a rate and an ETA, when the stream is a terminal ({@link Terminal}); on a file or a pipe nothing is
 * redrawn, and {@link #close()} writes one summary line (unless {@link #plainSummary} turned it off,
 * for callers that print their own line, as the trainer does per epoch). No carriage return is ever
 * written to a file.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final String unit;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long done;
    private java.util.function.Supplier<String> suffix = () -> "";
    private boolean closed;
    private final boolean live;
    private boolean summary = true;

    public ProgressBar(String label, long total, String unit) {
        this(System.err, label, total, unit);
    }

    public ProgressBar(PrintStream out, String label, long total, String unit) {
        this.out = out;
        this.label = label;
        this.total = Math.max(total, 0);
        this.unit = unit;
        this.live = Terminal.isLive(out);
    }

    /** Whether {@link #close()} writes a summary line when the output is not a terminal (default true). */
    public ProgressBar plainSummary(boolean on) {
        summary = on;
        return this;
    }

    public void step(long n) {
        done += n;
        redraw(false);
    }

    /** Extra text shown after the rate (e.g. the current loss), computed only when the bar is redrawn. */
    public void suffix(java.util.function.Supplier<String> text) {
        suffix = text;
    }

    public double rate() {
        double secs = (System.nanoTime() - start) / 1e9;
        return secs > 0 ? done / secs : 0;
    }

    private void redraw(boolean force) {
        if (!live) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double fraction = total == 0 ? 1 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double rate = rate();
        String eta = rate > 0 && total > done ? formatSeconds((total - done) / rate) : "0s";
        out.print(String.format(Locale.ROOT, "\r%s [%s%s] %3.0f%% %d/%d %s, %.0f %s/s, eta %s %s",
                label, "=".repeat(filled), " ".repeat(WIDTH - filled), fraction * 100, done, total, unit, rate, unit,
                eta, suffix.get()));
        out.flush();
    }

    public static String formatSeconds(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (live) {
                redraw(true);
                out.println();
            } else if (summary) {
                double secs = (System.nanoTime() - start) / 1e9;
                out.println(String.format(Locale.ROOT, "%s: %d/%d %s in %s, %.0f %s/s %s", label, done, total, unit,
                        formatSeconds(secs), rate(), unit, suffix.get()).stripTrailing());
            }
        }
    }
}
