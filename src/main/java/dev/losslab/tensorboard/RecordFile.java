package dev.losslab.tensorboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, as TensorFlow's {@code RecordWriter} (and TensorBoard's
 * {@code record_writer.py}) lays records out: little-endian {@code uint64 length},
 * {@code uint32 masked_crc32c(length bytes)}, the data, {@code uint32 masked_crc32c(data)}. The CRC
 * is CRC-32C (Castagnoli); the mask is {@code rotr32(crc, 15) + 0xa282ead8}.
 */
public final class RecordFile {
    private static final int MASK_DELTA = 0xa282ead8;

    private RecordFile() {
    }

    /** CRC-32C of {@code bytes}. */
    public static int crc32c(byte[] bytes, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(bytes, off, len);
        return (int) c.getValue();
    }

    /** The masked CRC TFRecords store. */
    public static int maskedCrc(byte[] bytes, int off, int len) {
        return Integer.rotateRight(crc32c(bytes, off, len), 15) + MASK_DELTA;
    }

    /** One framed record. */
    public static byte[] frame(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(16 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(maskedCrc(b.array(), 0, 8));
        b.put(data);
        b.putInt(maskedCrc(data, 0, data.length));
        return b.array();
    }

    /** Every record of a TFRecord file, both CRCs checked; an {@link IOException} names the first bad one. */
    public static List<byte[]> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.remaining() > 0) {
            if (b.remaining() < 12) {
                throw new IOException(file + ": truncated record header at byte " + b.position());
            }
            int at = b.position();
            long len = b.getLong();
            int lenCrc = b.getInt();
            if (lenCrc != maskedCrc(all, at, 8)) {
                throw new IOException(file + ": length CRC mismatch at byte " + at);
            }
            if (len < 0 || len > b.remaining() - 4) {
                throw new IOException(file + ": truncated record at byte " + at);
            }
            byte[] data = new byte[(int) len];
            b.get(data);
            if (b.getInt() != maskedCrc(data, 0, data.length)) {
                throw new IOException(file + ": data CRC mismatch in the record at byte " + at);
            }
            out.add(data);
        }
        return out;
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
