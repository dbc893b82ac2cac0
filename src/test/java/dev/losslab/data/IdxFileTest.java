package dev.losslab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path dir;

    private static IdxImages sample(int n) {
        byte[] px = new byte[n * 784];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31);
        }
        return new IdxImages(n, 28, 28, px);
    }

    @Test
    void roundTripsGzipAndRaw() throws IOException {
        IdxImages images = sample(5);
        byte[] labels = {0, 1, 2, 3, 9};
        for (String suffix : new String[] {".gz", ""}) {
            Path img = dir.resolve("img-idx3-ubyte" + suffix);
            Path lab = dir.resolve("lab-idx1-ubyte" + suffix);
            IdxFile.writeImages(img, images);
            IdxFile.writeLabels(lab, labels);
            IdxImages back = IdxFile.readImages(img);
            assertEquals(5, back.count());
            assertEquals(28, back.rows());
            assertArrayEquals(images.pixels(), back.pixels());
            assertArrayEquals(labels, IdxFile.readLabels(lab));
        }
    }

    @Test
    void truncatedBodyIsNamedAndExplained() throws IOException {
        Path raw = dir.resolve("img");
        IdxFile.writeImages(raw, sample(3));
        byte[] bytes = Files.readAllBytes(raw);
        Files.write(raw, Arrays.copyOf(bytes, bytes.length - 100));
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(raw));
        assertTrue(e.getMessage().startsWith(raw.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void truncatedGzipStream() throws IOException {
        Path gz = dir.resolve("img.gz");
        IdxFile.writeImages(gz, sample(50));
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(gz));
        assertTrue(e.getMessage().contains("truncated gzip"), e.getMessage());
    }

    @Test
    void corruptGzipStream() throws IOException {
        Path gz = dir.resolve("img.gz");
        IdxFile.writeImages(gz, sample(50));
        byte[] bytes = Files.readAllBytes(gz);
        for (int i = 20; i < 60; i++) {
            bytes[i] ^= (byte) 0x5a;
        }
        Files.write(gz, bytes);
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(gz));
        assertTrue(e.getMessage().startsWith(gz.toString()), e.getMessage());
    }

    @Test
    void wrongMagic() throws IOException {
        Path lab = dir.resolve("labels");
        IdxFile.writeLabels(lab, new byte[] {1, 2});
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(lab));
        assertTrue(e.getMessage().contains("wrong magic number 2049 (expected 2051"), e.getMessage());
    }

    @Test
    void headerShorterThanItsFields() throws IOException {
        Path f = dir.resolve("short");
        Files.write(f, ByteBuffer.allocate(6).putInt(2051).array());
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(f));
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
    }

    @Test
    void trailingBytesAreCorruption() throws IOException {
        Path lab = dir.resolve("labels");
        IdxFile.writeLabels(lab, new byte[] {1, 2, 3});
        byte[] bytes = Files.readAllBytes(lab);
        Files.write(lab, Arrays.copyOf(bytes, bytes.length + 4));
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readLabels(lab));
        assertTrue(e.getMessage().contains("unexpected bytes"), e.getMessage());
    }

    @Test
    void imageLabelCountMismatch() throws IOException {
        Path img = dir.resolve("img");
        Path lab = dir.resolve("lab");
        IdxFile.writeImages(img, sample(4));
        IdxFile.writeLabels(lab, new byte[] {1, 2, 3});
        IdxImages images = IdxFile.readImages(img);
        byte[] labels = IdxFile.readLabels(lab);
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.checkPair(img, images, lab, labels));
        assertTrue(e.getMessage().contains("holds 3 labels but img holds 4 images"), e.getMessage());
    }

    @Test
    void missingFile() {
        var e = assertThrows(IdxFormatException.class, () -> IdxFile.readImages(dir.resolve("nope.gz")));
        assertTrue(e.getMessage().endsWith("file not found"));
    }
}
