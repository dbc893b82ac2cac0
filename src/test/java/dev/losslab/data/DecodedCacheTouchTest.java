package dev.losslab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache hit marks its entry as used now, so that {@code cache --older-than} means "not used since". */
class DecodedCacheTouchTest {
    @TempDir
    Path dir;
    private String old;

    @BeforeEach
    void privateCache() {
        old = System.getProperty(FolderImages.CACHE_PROPERTY);
        System.setProperty(FolderImages.CACHE_PROPERTY, dir.toString());
    }

    @AfterEach
    void restore() {
        if (old == null) {
            System.clearProperty(FolderImages.CACHE_PROPERTY);
        } else {
            System.setProperty(FolderImages.CACHE_PROPERTY, old);
        }
    }

    private static Path only(Path dir, String prefix) throws IOException {
        try (var s = Files.list(dir)) {
            List<Path> l = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertEquals(1, l.size(), l.toString());
            return l.get(0);
        }
    }

    private static void age(Path p, int days) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(days))));
    }

    @Test
    void theDataHashMemoAndTheIdxEntryAreTouchedOnAHit() throws IOException {
        AtomicInteger computed = new AtomicInteger();
        String d = "d".repeat(64);
        Map<String, String> files = Map.of("train-images", "1".repeat(64));
        assertEquals(d, DecodedIdxCache.sourceDigest(files, () -> { computed.incrementAndGet(); return d; }));
        Path memo = only(dir, "source-");
        age(memo, 50);
        assertEquals(d, DecodedIdxCache.sourceDigest(files, () -> { computed.incrementAndGet(); return "x"; }));
        assertEquals(1, computed.get(), "the second call reads the memo");
        assertTrue(Files.getLastModifiedTime(memo).toInstant().isAfter(Instant.now().minus(Duration.ofHours(1))));

        Path idx = Files.write(dir.resolve("images.idx"), new byte[] {1, 2, 3});
        Path entry = DecodedIdxCache.entry(List.of(idx));
        DecodedIdxCache.write(entry, List.of(new DecodedIdxCache.Content(new byte[] {1, 2, 3}, "e".repeat(64))), System.err);
        age(entry, 50);
        assertNotNull(DecodedIdxCache.read(entry, 1));
        assertTrue(Files.getLastModifiedTime(entry).toInstant().isAfter(Instant.now().minus(Duration.ofHours(1))));
        assertEquals(DecodedCacheEntries.Kind.IDX_FILES, DecodedCacheEntries.list(dir).entries().stream()
                .filter(e -> e.path().equals(entry)).findFirst().orElseThrow().kind());
    }
}
