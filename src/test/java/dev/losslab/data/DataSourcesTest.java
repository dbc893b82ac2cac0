package dev.losslab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import dev.losslab.testing.Pictures;
import dev.losslab.testing.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every source kind on files written here, the cache, the long-tail rule and the sources' bad inputs. */
class DataSourcesTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void privateCache() {
        System.setProperty(FolderImages.CACHE_PROPERTY, dir.resolve("cache").toString());
    }

    @AfterAll
    static void restore() {
        System.clearProperty(FolderImages.CACHE_PROPERTY);
    }

    static DataConfig folder(String directory, List<String> classNames, ColorMode mode, int[] size, Boolean allowEmpty) {
        return new DataConfig(directory, null, null, null, classNames, mode, size, null, null, null, allowEmpty, null, null,
                null, null, null, null);
    }

    private static byte[] grey(int h, int w, int value) {
        byte[] b = new byte[h * w];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void folderFollowsKerasOrderAndSkipsNonImages() throws IOException {
        Path root = dir.resolve("order");
        // classes b and a (sorted: a, b), nested files, upper-case extensions, a text file and a hidden file
        Pictures.write(root.resolve("b/z.png"), "png", 4, 4, 1, grey(4, 4, 10));
        Pictures.write(root.resolve("b/sub/a.PNG"), "png", 4, 4, 1, grey(4, 4, 20));
        Pictures.write(root.resolve("a/y.jpg"), "jpg", 4, 4, 1, grey(4, 4, 128));
        Pictures.write(root.resolve("a/x.png"), "png", 4, 4, 1, grey(4, 4, 30));
        Files.writeString(root.resolve("a/notes.txt"), "not an image");
        Pictures.write(root.resolve("a/._x.png"), "png", 4, 4, 1, grey(4, 4, 1));
        Files.createDirectories(root.resolve(".git"));
        ImageFolder f = ImageFolder.index(root, null, false);
        assertEquals(List.of("a", "b"), f.classNames());
        assertEquals(List.of("a/x.png", "a/y.jpg", "b/z.png", "b/sub/a.PNG"), f.relative());
        assertArrayEquals(new int[] {0, 0, 1, 1}, f.labels());
        assertEquals(2, f.skipped());
        // classNames picks and orders: b becomes label 0
        ImageFolder picked = ImageFolder.index(root, List.of("b", "a"), false);
        assertArrayEquals(new int[] {0, 0, 1, 1}, picked.labels());
        assertEquals("b/z.png", picked.relative().get(0));

        SourceData d = folder(root.toString(), null, ColorMode.GRAYSCALE, null, null).load(TestData.quiet());
        assertEquals(4, d.train().size() + d.test().size());
        assertEquals(2, d.provenance().skippedFiles());
    }

    @Test
    void cacheServesTheSecondLoadAndNoticesChanges() throws IOException {
        Path root = dir.resolve("cached");
        SplittableRandom r = new SplittableRandom(3);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 5; i++) {
                Pictures.write(root.resolve("c" + c + "/" + i + ".png"), "png", 12, 10, 3, Pictures.pattern(c, 12, 10, r));
            }
        }
        DecodeOptions o = new DecodeOptions(ColorMode.RGB, new int[] {8, 8}, null, false, false);
        ImageFolder f = ImageFolder.index(root, null, false);
        FolderImages.Loaded first = FolderImages.load(f, o, true, TestData.quiet());
        assertFalse(first.fromCache());
        FolderImages.Loaded second = FolderImages.load(f, o, true, TestData.quiet());
        assertTrue(second.fromCache());
        assertEquals(first.images(), second.images());
        // another option or a changed file is another key
        assertNotEquals(FolderImages.key(f, o), FolderImages.key(f, new DecodeOptions(ColorMode.RGB, new int[] {8, 8},
                Interpolation.AREA, false, false)));
        String before = FolderImages.key(f, o);
        Pictures.write(root.resolve("c0/0.png"), "png", 12, 10, 3, Pictures.pattern(1, 12, 10, r));
        Files.setLastModifiedTime(root.resolve("c0/0.png"), java.nio.file.attribute.FileTime.fromMillis(12345));
        assertNotEquals(before, FolderImages.key(ImageFolder.index(root, null, false), o));
        // a corrupt cache entry is ignored and rewritten
        try (var s = Files.list(FolderImages.cacheDirectory())) {
            for (Path p : s.toList()) {
                Files.write(p, new byte[] {1, 2, 3});
            }
        }
        assertEquals(FolderImages.load(f, o, false, TestData.quiet()).images(),
                FolderImages.load(f, o, true, TestData.quiet()).images());
    }

    @Test
    void testSplitIsStratifiedSeededAndTheSameForEverySeed() throws IOException {
        Path root = dir.resolve("split");
        SplittableRandom r = new SplittableRandom(4);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < (c == 0 ? 20 : 10); i++) {
                Pictures.write(root.resolve("k" + c + "/" + i + ".png"), "png", 6, 6, 1, grey(6, 6, r.nextInt(256)));
            }
        }
        SourceData d = folder(root.toString(), null, ColorMode.GRAYSCALE, null, null).load(TestData.quiet());
        assertArrayEquals(new int[] {4, 2}, d.test().classCounts(2), "20% of 20 and of 10");
        assertArrayEquals(new int[] {16, 8}, d.train().classCounts(2));
        SourceData again = folder(root.toString(), null, ColorMode.GRAYSCALE, null, null).load(TestData.quiet());
        assertEquals(d.test(), again.test());
        assertEquals(64, d.provenance().contentSha256().length());
        assertEquals(d.provenance().contentSha256(), again.provenance().contentSha256());
    }

    @Test
    void idxOfAnotherSizeTransposedAndWithoutTestFiles() throws IOException {
        int n = 40;
        byte[] px = new byte[n * 6 * 9];
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) {
            lb[i] = (byte) (i % 4);
            for (int p = 0; p < 54; p++) {
                px[i * 54 + p] = (byte) (i + p);
            }
        }
        Path im = dir.resolve("small-images-idx3-ubyte.gz");
        Path la = dir.resolve("small-labels-idx1-ubyte");
        IdxFile.writeImages(im, new IdxImages(n, 6, 9, px));
        IdxFile.writeLabels(la, lb);
        DataConfig c = new DataConfig(null, null, 0.25, null, List.of("w", "x", "y", "z"), null, null, null, null, null, null,
                new DataConfig.Files(im.toString(), la.toString(), null, null), null, null, null, true, null);
        SourceData d = c.load(TestData.quiet());
        assertEquals(9, d.train().height(), "transposed: 6x9 becomes 9x6");
        assertEquals(6, d.train().width());
        assertEquals(28, d.train().size(), "per class round(10 x 0.25) = 3 held out");
        assertEquals(12, d.test().size());
        // image 0 transposed: new (y, x) = old (x, y)
        int first = 0;
        LabelledImages all = new DataConfig(null, null, 0.25, null, null, null, null, null, null, null, null,
                new DataConfig.Files(im.toString(), la.toString(), im.toString(), la.toString()), null, null, null, true,
                null).load(TestData.quiet()).test();
        assertEquals(px[first * 54 + 1 * 9 + 2], all.pixels()[(2 * 6 + 1)], "old (1,2) is new (2,1)");
        // labels outside classNames
        DataConfig two = new DataConfig(null, null, null, null, List.of("a", "b"), null, null, null, null, null, null,
                new DataConfig.Files(im.toString(), la.toString(), null, null), null, null, null, null, null);
        var e = assertThrows(LosslabException.class, () -> two.load(TestData.quiet()));
        assertTrue(e.getMessage().contains("label 2 at index 2 is outside 0..1"), e.getMessage());
        // counts that differ
        Path fewer = dir.resolve("fewer-labels-idx1-ubyte");
        IdxFile.writeLabels(fewer, java.util.Arrays.copyOf(lb, 30));
        DataConfig mismatch = new DataConfig(null, null, null, null, null, null, null, null, null, null, null,
                new DataConfig.Files(im.toString(), fewer.toString(), null, null), null, null, null, null, null);
        var e2 = assertThrows(LosslabException.class, () -> mismatch.load(TestData.quiet()));
        assertTrue(e2.getMessage().contains("holds 30 labels but"), e2.getMessage());
    }

    @Test
    void npzInKerasLayoutUint8AndFloatAndNpyPairs() throws IOException {
        int n = 12;
        byte[] x = new byte[n * 5 * 5];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (byte) (i * 7);
        }
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
        }
        ByteBuffer f = ByteBuffer.allocate(x.length * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (byte b : x) {
            for (int c = 0; c < 3; c++) {
                f.putFloat((b & 0xff) / 255f);
            }
        }
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("x_train", NpyArray.encode("|u1", new long[] {n, 5, 5}, x));
        m.put("y_train", NpyArray.encodeInt64(y));
        m.put("x_test", NpyArray.encode("|u1", new long[] {n, 5, 5}, x));
        m.put("y_test", NpyArray.encodeInt64(y));
        Path npz = dir.resolve("mnist-like.npz");
        NpzFile.write(npz, m);
        DataConfig npzConfig = new DataConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                npz.toString(), null, null, null, null);
        SourceData d = npzConfig.load(TestData.quiet());
        assertEquals(List.of("0", "1", "2"), d.classNames());
        assertEquals(d.classNames(), npzConfig.sourceClassNames(), "the labels alone name the same classes");
        assertArrayEquals(x, d.train().pixels());
        assertArrayEquals(y, d.train().labels());
        // float32 [N,H,W,3] in [0,1] as separate .npy files, no test files: scaled back to bytes, 20% held out
        Path xi = dir.resolve("x.npy");
        Path yi = dir.resolve("y.npy");
        Files.write(xi, NpyArray.encode("<f4", new long[] {n, 5, 5, 3}, f.array()));
        Files.write(yi, NpyArray.encode("<i8", new long[] {n}, java.util.Arrays.copyOfRange(NpyArray.encodeInt64(y),
                NpyArray.encodeInt64(y).length - 8 * n, NpyArray.encodeInt64(y).length)));
        SourceData e = new DataConfig(null, null, 0.25, null, null, null, null, null, null, null, null, null, null,
                new DataConfig.Files(xi.toString(), yi.toString(), null, null), null, null, null).load(TestData.quiet());
        assertEquals(3, e.train().channels());
        assertEquals(List.of("0", "1", "2"), new DataConfig(null, null, 0.25, null, null, null, null, null, null, null, null,
                null, null, new DataConfig.Files(xi.toString(), yi.toString(), null, null), null, null, null).sourceClassNames());
        assertEquals(9, e.train().size());
        assertEquals(x[0] & 0xff, e.train().pixels()[0] & 0xff, "0..1 floats scaled to 0..255");
        // a missing key names the keys there are
        m.remove("y_train");
        Path broken = dir.resolve("broken.npz");
        NpzFile.write(broken, m);
        var err = assertThrows(LosslabException.class, () -> new DataConfig(null, null, null, null, null, null, null, null,
                null, null, null, null, broken.toString(), null, null, null, null).load(TestData.quiet()));
        assertTrue(err.getMessage().contains("no array 'y_train'"), err.getMessage());
        // labels that do not match the images' count
        m.put("y_train", NpyArray.encodeInt64(new int[] {0, 1}));
        NpzFile.write(broken, m);
        var err2 = assertThrows(LosslabException.class, () -> new DataConfig(null, null, null, null, null, null, null, null,
                null, null, null, null, broken.toString(), null, null, null, null).load(TestData.quiet()));
        assertTrue(err2.getMessage().contains("12 images but 2 labels"), err2.getMessage());
    }

    @Test
    void cifar10BinaryRecordsBecomeHwc() throws IOException {
        Path c = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        Files.writeString(c.resolve("batches.meta.txt"), "airplane\nautomobile\nbird\n\n");
        byte[] rec = new byte[3 * 3073];
        for (int r = 0; r < 3; r++) {
            rec[r * 3073] = (byte) r;
            for (int i = 0; i < 1024; i++) {
                rec[r * 3073 + 1 + i] = (byte) 10;            // red plane
                rec[r * 3073 + 1 + 1024 + i] = (byte) 20;     // green plane
                rec[r * 3073 + 1 + 2048 + i] = (byte) (i % 256); // blue plane
            }
        }
        Files.write(c.resolve("data_batch_1.bin"), rec);
        Files.write(c.resolve("test_batch.bin"), rec);
        DataConfig cfg = new DataConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                c.toString(), null, null);
        assertEquals(List.of("airplane", "automobile", "bird"), cfg.sourceClassNames());
        SourceData d = cfg.load(TestData.quiet());
        assertEquals(32, d.train().height());
        assertEquals(3, d.train().channels());
        int pixel = 33; // row 1, column 1
        assertEquals(10, d.train().pixels()[pixel * 3]);
        assertEquals(20, d.train().pixels()[pixel * 3 + 1]);
        assertEquals(33, d.train().pixels()[pixel * 3 + 2]);
        assertArrayEquals(new int[] {0, 1, 2}, d.train().labels());
        Files.write(c.resolve("data_batch_2.bin"), new byte[3073 + 5]);
        var e = assertThrows(LosslabException.class, () -> cfg.load(TestData.quiet()));
        assertTrue(e.getMessage().contains("data_batch_2.bin: 3078 bytes is not a whole number of 3,073-byte"), e.getMessage());
    }

    @Test
    void longTailCountsAsLdamDrw() {
        int[] counts = new Imbalance("exp", 100).counts(new int[] {5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000});
        // int(5000 * 0.01^(i/9)) in LDAM-DRW's imbalance_cifar.py
        assertArrayEquals(new int[] {5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50}, counts);
        assertArrayEquals(new int[] {500, 500, 50, 50}, new Imbalance("step", 10).counts(new int[] {500, 600, 700, 800}));
        // unequal availability: n_max shrinks so every class can supply its share
        assertArrayEquals(new int[] {200, 20}, new Imbalance("exp", 10).counts(new int[] {5000, 20}));
        assertEquals("exp100", new Imbalance("exp", 100).splitName());
        assertThrows(LosslabException.class, () -> new Imbalance("linear", 10).validate());
        assertThrows(LosslabException.class, () -> new Imbalance("exp", 0.5).validate());
    }

    @Test
    void folderBadInputsAreOneLineNamingTheProblem() throws IOException {
        Path missing = dir.resolve("nowhere");
        assertMessage(folder(missing.toString(), null, null, null, null), "does not exist");
        Path flat = dir.resolve("flat");
        Pictures.write(flat.resolve("a.png"), "png", 4, 4, 1, grey(4, 4, 1));
        assertMessage(folder(flat.toString(), null, null, null, null), "holds no class subfolders");
        Path empty = dir.resolve("empty");
        Pictures.write(empty.resolve("cat/a.png"), "png", 4, 4, 1, grey(4, 4, 1));
        Pictures.write(empty.resolve("dog/b.png"), "png", 4, 4, 1, grey(4, 4, 1));
        Files.createDirectories(empty.resolve("emu"));
        Files.writeString(empty.resolve("emu/readme.txt"), "no pictures here");
        assertMessage(folder(empty.toString(), null, ColorMode.GRAYSCALE, null, null), "class folder 'emu' holds no images");
        assertEquals(3, folder(empty.toString(), null, ColorMode.GRAYSCALE, null, true).sourceClassNames().size());
        assertMessage(folder(empty.toString(), List.of("cat", "cow"), null, null, null), "classNames: 'cow' is not a subfolder");
        assertMessage(folder(empty.toString(), List.of("cat"), null, null, null), "has only one class ('cat')");
        Path corrupt = dir.resolve("corrupt");
        Pictures.write(corrupt.resolve("a/1.png"), "png", 4, 4, 1, grey(4, 4, 1));
        Files.createDirectories(corrupt.resolve("b"));
        Files.writeString(corrupt.resolve("b/2.png"), "garbage");
        assertMessage(folder(corrupt.toString(), null, ColorMode.GRAYSCALE, null, null), "b/2.png: cannot decode");
        Path mixed = dir.resolve("mixed");
        Pictures.write(mixed.resolve("a/1.png"), "png", 4, 4, 1, grey(4, 4, 1));
        Pictures.write(mixed.resolve("b/2.png"), "png", 6, 5, 1, grey(6, 5, 1));
        assertMessage(folder(mixed.toString(), null, ColorMode.GRAYSCALE, null, null), "is 4x4, ");
        assertMessage(folder(mixed.toString(), null, ColorMode.GRAYSCALE, null, null), "2.png is 6x5");
        // with imageSize they load
        assertEquals(4, folder(mixed.toString(), null, ColorMode.GRAYSCALE, new int[] {4, 4}, null).load(TestData.quiet())
                .train().height());
    }

    private static void assertMessage(DataConfig c, String fragment) {
        var e = assertThrows(LosslabException.class, () -> c.load(TestData.quiet()));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
