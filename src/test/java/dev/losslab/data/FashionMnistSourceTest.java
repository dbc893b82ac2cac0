package dev.losslab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.losslab.LosslabException;
import dev.losslab.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistSourceTest {
    @TempDir
    Path dir;

    /** What a local server answers for a request path (without its leading slash). */
    private interface Body {
        byte[] of(String path) throws IOException;
    }

    /** A started HTTP server on a free loopback port answering every GET with {@code body}. */
    private static HttpServer serve(Body body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.of(exchange.getRequestURI().getPath().substring(1));
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    /**
     * The recorded data hash (SourceData's content SHA-256 over every image and label) is memoised in the cache by
     * the files' content hashes: a second load gives the same digest as hashing the images, read from the memo; a
     * different content is another memo.
     */
    @Test
    void theRecordedDataHashIsMemoisedByContent() throws IOException {
        Path data = dir.resolve("data");
        TestData.writeSynthetic(data, 5, 2, 1);
        Path cache = dir.resolve("cache");
        System.setProperty(FolderImages.CACHE_PROPERTY, cache.toString());
        try {
            var quiet = new PrintStream(new ByteArrayOutputStream(), true);
            FashionMnist first = new FashionMnistSource(quiet).load(data);
            SourceData a = first.toSourceData();
            String hashed = SourceData.contentSha256(FashionMnist.CLASS_NAMES, a.train(), a.test());
            assertEquals(hashed, a.provenance().contentSha256());
            List<Path> memos;
            try (Stream<Path> s = Files.list(cache)) {
                memos = s.filter(p -> p.getFileName().toString().startsWith("source-")).toList();
            }
            assertEquals(1, memos.size(), memos.toString());
            assertEquals(hashed + "\n", Files.readString(memos.get(0)));
            // the memo is what the second process reads (a planted value shows it is read, not recomputed)
            String planted = "0".repeat(64);
            Files.writeString(memos.get(0), planted + "\n");
            assertEquals(planted, new FashionMnistSource(quiet).load(data).toSourceData().provenance().contentSha256());
            // other content, other memo and digest
            TestData.writeSynthetic(data, 5, 2, 2);
            for (FashionMnistFile f : FashionMnistFile.values()) { // a new decoded-cache entry whatever the clock's grain
                Path p = data.resolve(f.fileName());
                Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(
                        Files.getLastModifiedTime(p).toMillis() - 120_000));
            }
            SourceData b = new FashionMnistSource(quiet).load(data).toSourceData();
            assertEquals(SourceData.contentSha256(FashionMnist.CLASS_NAMES, b.train(), b.test()), b.provenance().contentSha256());
            assertFalse(b.provenance().contentSha256().equals(hashed));
        } finally {
            System.clearProperty(FolderImages.CACHE_PROPERTY);
        }
    }

    @Test
    void canonicalFilesAreRecognisedByContent() {
        FashionMnist data = TestData.real();
        assertTrue(data.canonical());
        assertEquals(60_000, data.trainImages().count());
        assertEquals(10_000, data.testLabels().length);
    }

    /** A sweep's parent loads the data only when the decoded cache lacks it (its workers then each read the cache). */
    @Test
    void isCachedOnlyAfterALoadWroteTheDecodedContent() throws IOException {
        Path data = dir.resolve("data");
        TestData.writeSynthetic(data, 5, 2, 1);
        System.setProperty(FolderImages.CACHE_PROPERTY, dir.resolve("cache").toString());
        try {
            assertFalse(FashionMnistSource.isCached(data));
            assertFalse(FashionMnistSource.isCached(dir.resolve("missing")));
            new FashionMnistSource(new PrintStream(new ByteArrayOutputStream(), true)).load(data);
            assertTrue(FashionMnistSource.isCached(data));
            // a changed file is a new cache entry
            Path labels = data.resolve(FashionMnistFile.TEST_LABELS.fileName());
            Files.setLastModifiedTime(labels, java.nio.file.attribute.FileTime.fromMillis(
                    Files.getLastModifiedTime(labels).toMillis() - 60_000));
            assertFalse(FashionMnistSource.isCached(data));
        } finally {
            System.clearProperty(FolderImages.CACHE_PROPERTY);
        }
    }

    @Test
    void nonCanonicalFilesAreAcceptedWithAWarning() throws IOException {
        TestData.writeSynthetic(dir, 5, 2, 1);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FashionMnist data = new FashionMnistSource(new PrintStream(log, true)).load(dir);
        assertFalse(data.canonical());
        assertEquals(50, data.trainImages().count());
        String text = log.toString();
        assertEquals(4, text.lines().filter(l -> l.startsWith("warning:") && l.contains("not the canonical")).count(), text);
    }

    /**
     * The decoded-data cache: a second load reads the cache entry and gives the same arrays, hashes and
     * warnings; a corrupt entry is ignored and rewritten; a changed file makes a new entry.
     */
    @Test
    void decodedContentIsCachedAndACorruptOrStaleEntryIsNotTrusted() throws IOException {
        System.setProperty(FolderImages.CACHE_PROPERTY, dir.resolve("cache").toString());
        try {
            Path data = dir.resolve("data");
            TestData.writeSynthetic(data, 5, 2, 1);
            ByteArrayOutputStream log1 = new ByteArrayOutputStream();
            FashionMnist first = new FashionMnistSource(new PrintStream(log1, true)).load(data);
            Path entry;
            try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
                entry = files.filter(f -> f.getFileName().toString().startsWith("idx-")).findFirst().orElseThrow();
            }
            ByteArrayOutputStream log2 = new ByteArrayOutputStream();
            FashionMnist second = new FashionMnistSource(new PrintStream(log2, true)).load(data);
            assertEquals(log1.toString(), log2.toString(), "the same non-canonical warnings from the cache");
            assertSameData(first, second);
            Files.write(entry, new byte[] {1, 2, 3});
            assertSameData(first, new FashionMnistSource(TestData.quiet()).load(data));
            assertTrue(Files.size(entry) > 1000, "the corrupt entry was rewritten");
            // a changed training-label file (same size, another label) is a new entry, and its content is read
            Path labels = data.resolve(FashionMnistFile.TRAIN_LABELS.fileName());
            byte[] y = first.trainLabels().clone();
            y[0] = (byte) (y[0] == 0 ? 1 : 0);
            IdxFile.writeLabels(labels, y);
            Files.setLastModifiedTime(labels, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            FashionMnist changed = new FashionMnistSource(TestData.quiet()).load(data);
            assertEquals(y[0], changed.trainLabels()[0]);
            try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
                assertEquals(2, files.filter(f -> f.getFileName().toString().startsWith("idx-")).count());
            }
        } finally {
            System.clearProperty(FolderImages.CACHE_PROPERTY);
        }
    }

    private static void assertSameData(FashionMnist a, FashionMnist b) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.trainImages().pixels(), b.trainImages().pixels());
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.trainLabels(), b.trainLabels());
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.testImages().pixels(), b.testImages().pixels());
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.testLabels(), b.testLabels());
        assertEquals(a.contentSha256(), b.contentSha256());
        assertEquals(a.canonical(), b.canonical());
    }

    /** A local HTTP server stands in for the Fashion-MNIST host: the real download path, offline. */
    @Test
    void downloadsMissingFilesAndVerifiesThem() throws IOException {
        Path served = TestData.realDirectory();
        org.junit.jupiter.api.Assumptions.assumeTrue(FashionMnistSource.hasAllFiles(served), "no canonical files to serve");
        HttpServer server = serve(path -> Files.readAllBytes(served.resolve(path)));
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            FashionMnist data = new FashionMnistSource(TestData.quiet(), base).load(dir.resolve("cache"));
            assertTrue(data.canonical());
            assertTrue(FashionMnistSource.hasAllFiles(dir.resolve("cache")));
            try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
                assertEquals(4, files.count(), "no temporary files left behind");
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aCorruptDownloadIsRejectedAndNotKept() throws IOException {
        HttpServer server = serve(path -> "not a gzip file".getBytes());
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            Path cache = dir.resolve("cache");
            var e = assertThrows(LosslabException.class, () -> new FashionMnistSource(TestData.quiet(), base).load(cache));
            assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
            assertTrue(e.getMessage().contains(cache + " does not exist"), "names the missing folder: " + e.getMessage());
            // nothing kept: not the corrupt file, not even the folder the download made
            assertFalse(Files.exists(cache), "the folder the failed download made is removed");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withoutNetworkTheErrorSaysWhereToPutTheFiles() {
        // port 9 on loopback: nothing listens, the connection is refused at once
        var e = assertThrows(LosslabException.class,
                () -> new FashionMnistSource(TestData.quiet(), "http://127.0.0.1:9/").load(dir.resolve("empty")));
        assertTrue(e.getMessage().contains("put the four files"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("empty").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
