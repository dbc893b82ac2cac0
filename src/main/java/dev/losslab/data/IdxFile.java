package dev.losslab.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files (LeCun's MNIST format), gzip'd or raw. Big-endian header: magic
 * (2051 for unsigned-byte images of rank 3, 2049 for unsigned-byte labels of rank 1), then one
 * 32-bit size per dimension, then the data. Every problem is reported as an
 * {@link IdxFormatException} naming the file.
 */
public final class IdxFile {
    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;

    private IdxFile() {
    }

    /** The decompressed bytes of {@code file}; gzip is detected from its magic bytes, not its name. */
    public static byte[] content(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b1 = raw.read();
            int b2 = raw.read();
            raw.reset();
            boolean gzip = b1 == 0x1f && b2 == 0x8b;
            try (InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
                return in.readAllBytes();
            }
        } catch (NoSuchFileException e) {
            throw new IdxFormatException(file, "file not found");
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated gzip stream (unexpected end of file)");
        } catch (ZipException e) {
            throw new IdxFormatException(file, "corrupt gzip stream (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new IdxFormatException(file, "cannot read (" + e.getMessage() + ")");
        }
    }

    public static IdxImages readImages(Path file) {
        return parseImages(file, content(file));
    }

    public static byte[] readLabels(Path file) {
        return parseLabels(file, content(file));
    }

    /** Parses decompressed IDX3 image content. */
    public static IdxImages parseImages(Path file, byte[] content) {
        ByteBuffer buf = header(file, content, IMAGES_MAGIC, 3);
        int count = buf.getInt();
        int rows = buf.getInt();
        int cols = buf.getInt();
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IdxFormatException(file, "invalid dimensions " + count + "x" + rows + "x" + cols);
        }
        long expected = (long) count * rows * cols;
        checkLength(file, content.length - 16, expected, count + " images of " + rows + "x" + cols);
        byte[] pixels = new byte[(int) expected];
        System.arraycopy(content, 16, pixels, 0, pixels.length);
        return new IdxImages(count, rows, cols, pixels);
    }

    /** Parses decompressed IDX1 label content. */
    public static byte[] parseLabels(Path file, byte[] content) {
        ByteBuffer buf = header(file, content, LABELS_MAGIC, 1);
        int count = buf.getInt();
        if (count < 0) {
            throw new IdxFormatException(file, "invalid label count " + count);
        }
        checkLength(file, content.length - 8, count, count + " labels");
        byte[] labels = new byte[count];
        System.arraycopy(content, 8, labels, 0, count);
        return labels;
    }

    private static ByteBuffer header(Path file, byte[] content, int magic, int rank) {
        int headerBytes = 4 + 4 * rank;
        if (content.length < 4) {
            throw new IdxFormatException(file, "truncated header (" + content.length + " bytes, need " + headerBytes + ")");
        }
        ByteBuffer buf = ByteBuffer.wrap(content);
        int actual = buf.getInt();
        if (actual != magic) {
            String what = magic == IMAGES_MAGIC ? "images" : "labels";
            throw new IdxFormatException(file, "wrong magic number " + actual + " (expected " + magic + " for IDX " + what + ")");
        }
        if (content.length < headerBytes) {
            throw new IdxFormatException(file, "truncated header (" + content.length + " bytes, need " + headerBytes + ")");
        }
        return buf;
    }

    private static void checkLength(Path file, long available, long expected, String what) {
        if (available < expected) {
            throw new IdxFormatException(file, "truncated: header announces " + what + " (" + expected
                    + " bytes) but only " + available + " bytes follow");
        }
        if (available > expected) {
            throw new IdxFormatException(file, "corrupt: " + (available - expected) + " unexpected bytes after " + what);
        }
    }

    /** Checks that an image file and a label file describe the same number of samples. */
    public static void checkPair(Path imagesFile, IdxImages images, Path labelsFile, byte[] labels) {
        if (images.count() != labels.length) {
            throw new IdxFormatException(labelsFile, "holds " + labels.length + " labels but " + imagesFile.getFileName()
                    + " holds " + images.count() + " images");
        }
    }

    /** Writes images as IDX3, gzip'd when the name ends in .gz (used by tests and by tools). */
    public static void writeImages(Path file, IdxImages images) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(16).putInt(IMAGES_MAGIC).putInt(images.count())
                .putInt(images.rows()).putInt(images.cols());
        write(file, header.array(), images.pixels());
    }

    public static void writeLabels(Path file, byte[] labels) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(8).putInt(LABELS_MAGIC).putInt(labels.length);
        write(file, header.array(), labels);
    }

    private static void write(Path file, byte[] header, byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(header.length + body.length);
        bytes.write(header);
        bytes.write(body);
        byte[] all = bytes.toByteArray();
        if (file.getFileName().toString().endsWith(".gz")) {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(gz)) {
                out.write(all);
            }
            all = gz.toByteArray();
        }
        AtomicFiles.write(file, all);
    }
}
