package dev.losslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.testing.CliRun;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code losslab cache}: it counts and removes only the files losslab wrote into the cache folder (name and first
 * bytes both losslab's), never a user's file, a look-alike, a sub-folder, a link's target or another process's
 * unfinished write; bad arguments are one line and exit 2.
 */
class CacheCommandTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    @TempDir
    Path dir;
    Path cache;
    Path outside;

    /** A cache as runs leave it, plus everything that must survive. */
    @BeforeEach
    void fill() throws IOException {
        cache = Files.createDirectory(dir.resolve("decoded"));
        outside = Files.writeString(dir.resolve("precious.txt"), "not the cache's");
        Instant now = Instant.now();
        entry(cache.resolve(A + ".bin"), "losslab-decoded/1", 1000, now.minus(Duration.ofDays(40)));
        entry(cache.resolve("idx-" + B + ".bin"), "losslab-idx-content-v1", 5000, now.minus(Duration.ofDays(2)));
        write(cache.resolve("source-" + C + ".sha256"), (C + "\n").getBytes(StandardCharsets.US_ASCII),
                now.minus(Duration.ofDays(50)));
        // a write killed long ago, and one that may be in progress
        write(cache.resolve("." + A + ".bin.12345678901234.tmp"), new byte[300], now.minus(Duration.ofDays(3)));
        write(cache.resolve(".idx-" + B + ".bin.987.tmp"), new byte[7], now.minus(Duration.ofMinutes(5)));
        // never ours: a user's file, a look-alike name with foreign content, a folder, a link to a file outside
        write(cache.resolve("notes.txt"), "mine".getBytes(StandardCharsets.UTF_8), now.minus(Duration.ofDays(90)));
        write(cache.resolve(B + ".bin"), "PNG not losslab".getBytes(StandardCharsets.UTF_8), now.minus(Duration.ofDays(90)));
        write(cache.resolve("source-" + A + ".sha256"), "hello".getBytes(StandardCharsets.UTF_8), now.minus(Duration.ofDays(90)));
        Files.createDirectory(cache.resolve(C + ".bin"));
        Files.createSymbolicLink(cache.resolve("idx-" + C + ".bin"), outside);
    }

    private static void entry(Path p, String magic, int payload, Instant when) throws IOException {
        try (OutputStream o = Files.newOutputStream(p); DataOutputStream out = new DataOutputStream(o)) {
            out.writeUTF(magic);
            out.write(new byte[payload]);
        }
        Files.setLastModifiedTime(p, FileTime.from(when));
    }

    private static void write(Path p, byte[] bytes, Instant when) throws IOException {
        Files.write(p, bytes);
        Files.setLastModifiedTime(p, FileTime.from(when));
    }

    /** Runs {@code cache} on the test's folder with {@code args}, which must succeed and say each of {@code says}. */
    private CliRun.Outcome cache(List<String> args, String... says) {
        var o = CliRun.cli(java.util.stream.Stream.concat(java.util.stream.Stream.of("cache", "--dir", cache.toString()),
                args.stream()).toArray(String[]::new));
        assertEquals(0, o.status(), o.err());
        for (String s : says) {
            assertTrue(o.out().contains(s), "missing '" + s + "' in: " + o.out());
        }
        return o;
    }

    private List<String> names() throws IOException {
        try (var s = Files.list(cache)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void showsOnlyLosslabsEntriesAndCountsTheRest() throws IOException {
        // entries: the folder, the IDX files, the memo, two unfinished writes; others: five
        var o = cache(List.of("--list"), ": 5 entries, ", "5 other files in the folder left alone",
                "decoded image folder: 1, ", "decompressed IDX files: 1, 5.0 kB", "unfinished write: 2, ");
        assertFalse(o.out().contains("notes.txt"), o.out());
        assertEquals(5, o.out().lines().filter(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d .*")).count(), o.out());
        assertEquals(10, names().size(), "listing removes nothing");
    }

    @Test
    void clearRemovesOnlyEntriesAndLeavesAnUnfinishedWriteInProgress() throws IOException {
        cache(List.of("--clear"), "removed 4 entries", "kept 1");
        assertEquals(List.of(".idx-" + B + ".bin.987.tmp", B + ".bin", C + ".bin", "idx-" + C + ".bin", "notes.txt",
                "source-" + A + ".sha256"), names());
        assertEquals("not the cache's", Files.readString(outside));
        assertTrue(Files.isDirectory(cache.resolve(C + ".bin")));
    }

    @Test
    void olderThanRemovesOnlyEntriesNotUsedSince() throws IOException {
        cache(List.of("--older-than", "30"), ": 2 entries not used for 30 days, ");
        cache(List.of("--older-than", "30", "--clear"), "removed 2 entries not used for 30 days");
        List<String> left = names();
        assertFalse(left.contains(A + ".bin"));
        assertFalse(left.contains("source-" + C + ".sha256"));
        assertTrue(left.contains("idx-" + B + ".bin"));
        assertTrue(left.contains("." + A + ".bin.12345678901234.tmp"));
        assertTrue(left.contains("notes.txt"));
    }

    @Test
    void aMissingCacheIsEmptyAndBadArgumentsAreOneLine() throws IOException {
        var empty = CliRun.cli("cache", "--dir", dir.resolve("none").toString(), "--clear");
        assertEquals(0, empty.status(), empty.err());
        assertTrue(empty.out().contains("removed 0 entries"), empty.out());
        assertFalse(Files.exists(dir.resolve("none")), "clearing a missing cache creates nothing");
        for (String[] bad : List.of(new String[] {"cache", "--dir", outside.toString()},
                new String[] {"cache", "--dir", cache.toString(), "--older-than", "-1", "--clear"},
                new String[] {"cache", "--dir", cache.toString(), "--older-than", "NaN"},
                new String[] {"cache", "--dir", cache.toString(), "--older-than", "soon"})) {
            var o = CliRun.cli(bad);
            assertEquals(2, o.status(), String.join(" ", bad) + ": " + o.err());
            assertEquals(1, o.err().lines().count(), o.err());
            assertTrue(o.err().startsWith("losslab: "), o.err());
        }
        assertEquals(10, names().size(), "a refused command removes nothing");
    }
}
