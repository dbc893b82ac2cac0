package dev.losslab.cli;

import dev.losslab.LosslabException;
import dev.losslab.data.DecodedCacheEntries;
import dev.losslab.data.DecodedCacheEntries.Entry;
import dev.losslab.data.DecodedCacheEntries.Kind;
import dev.losslab.data.DecodedCacheEntries.Listing;
import dev.losslab.data.FolderImages;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cache", mixinStandardHelpOptions = true,
        description = {"Show the decoded-data cache ($LOSSLAB_CACHE, else ~/.cache/losslab/decoded: decoded image folders, "
                + "decompressed IDX files, data-hash memos), and with --clear remove its entries.",
                "Only files losslab wrote there count as entries (their name and their first bytes say so); anything "
                        + "else in the folder is counted and left alone. An entry's time is when a run last read or "
                        + "wrote it; a removed entry is rebuilt by the next run that needs it."})
public final class CacheCommand implements Callable<Integer> {
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

    @Option(names = "--dir", description = "the cache folder (default: $LOSSLAB_CACHE, else ~/.cache/losslab/decoded)")
    Path dir;

    @Option(names = "--list", description = "one line per entry: last used, size, kind, file name")
    boolean list;

    @Option(names = "--older-than", paramLabel = "DAYS",
            description = "only entries not used for this many days (with --clear: remove only those)")
    Double olderThanDays;

    @Option(names = "--clear", description = "remove the entries (all, or those --older-than says); unfinished "
            + "writes younger than an hour are left to the process that may still be writing them")
    boolean clear;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (olderThanDays != null && (!(olderThanDays >= 0) || olderThanDays > 1e5)) {
            throw new LosslabException("--older-than: expected a number of days from 0 to 100000, got " + olderThanDays);
        }
        Path folder = dir != null ? dir : FolderImages.cacheDirectory();
        Instant now = Instant.now();
        Instant cutoff = olderThanDays == null ? null
                : now.minus(Duration.ofSeconds(Math.round(olderThanDays * 86400)));
        Listing all = DecodedCacheEntries.list(folder);
        Listing shown = cutoff == null ? all : all.lastUsedBefore(cutoff);
        List<Entry> chosen = shown.entries();
        PrintWriter out = spec.commandLine().getOut();
        String scope = cutoff == null ? "" : " not used for " + days(olderThanDays);
        if (list) {
            for (Entry e : chosen) {
                out.printf(Locale.ROOT, "%s  %10s  %-22s  %s%n", WHEN.format(e.lastUsed()), size(e.bytes()),
                        e.kind().label(), e.path().getFileName());
            }
        }
        if (clear) {
            List<Entry> removed = DecodedCacheEntries.remove(shown, now);
            long bytes = removed.stream().mapToLong(Entry::bytes).sum();
            int kept = chosen.size() - removed.size();
            out.println("cache " + folder + ": removed " + count(removed.size(), "entry", "entries") + scope + ", "
                    + size(bytes) + (kept > 0 ? "; kept " + kept + " (unfinished writes younger than an hour, or "
                    + "changed meanwhile)" : "") + others(all));
            return 0;
        }
        out.println("cache " + folder + ": " + count(chosen.size(), "entry", "entries") + scope + ", "
                + size(shown.bytes()) + others(all));
        for (Kind k : Kind.values()) {
            List<Entry> of = chosen.stream().filter(e -> e.kind() == k).toList();
            if (!of.isEmpty()) {
                out.println("  " + k.label() + ": " + of.size() + ", " + size(of.stream().mapToLong(Entry::bytes).sum())
                        + ", last used " + WHEN.format(of.get(0).lastUsed()) + " to "
                        + WHEN.format(of.get(of.size() - 1).lastUsed()));
            }
        }
        return 0;
    }

    private static String others(Listing all) {
        return all.others() == 0 ? "" : "; " + count(all.others(), "other file", "other files")
                + " in the folder left alone (not losslab's)";
    }

    private static String days(double d) {
        return (d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d)) + (d == 1 ? " day" : " days");
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** Bytes as people read them (powers of 1000, as `ls -h --si` and `du --si`). */
    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
