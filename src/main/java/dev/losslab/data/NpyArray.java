package dev.losslab.data;

import dev.losslab.LosslabException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One NumPy array in the {@code .npy} format (NumPy's {@code numpy/lib/format.py}, NEP 1): magic
 * {@code \x93NUMPY}, version, a little-endian header length (uint16 for v1, uint32 for v2/v3), an
 * ASCII Python-dict header ({@code descr}, {@code fortran_order}, {@code shape}) padded so the data
 * start on a 64-byte boundary, then the raw C-order data. Reads any version; writes v1.
 *
 * @param name where the array came from (a file, or "file.npz:key"), for messages
 */
public record NpyArray(String name, String descr, long[] shape, byte[] content, int dataStart) {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public static NpyArray parse(String name, byte[] all) {
        if (all.length < 10 || (all[0] & 0xff) != 0x93 || !new String(all, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new LosslabException(name + ": not a .npy array (bad magic)");
        }
        int major = all[6];
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = b.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (all.length < 12) {
                throw new LosslabException(name + ": truncated .npy header");
            }
            headerLen = b.getInt(8);
            start = 12;
        } else {
            throw new LosslabException(name + ": unsupported .npy version " + major);
        }
        if (headerLen < 0 || (long) start + headerLen > all.length) {
            throw new LosslabException(name + ": truncated .npy header");
        }
        String header = new String(all, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher o = ORDER.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !o.find() || !s.find()) {
            throw new LosslabException(name + ": .npy header lacks descr, fortran_order or shape");
        }
        if (o.group(1).equals("True")) {
            throw new LosslabException(name + ": Fortran-ordered arrays are not supported (save with np.ascontiguousarray)");
        }
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                try {
                    long v = Long.parseLong(part.trim());
                    if (v < 0) {
                        throw new NumberFormatException();
                    }
                    dims.add(v);
                } catch (NumberFormatException e) {
                    throw new LosslabException(name + ": bad .npy shape (" + s.group(1) + ")");
                }
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        NpyArray a = new NpyArray(name, d.group(1), shape, all, start + headerLen);
        long need = a.elements() * a.itemSize();
        if (a.elements() > Integer.MAX_VALUE || need > all.length - (long) a.dataStart) {
            throw new LosslabException(name + ": truncated .npy data (" + (all.length - a.dataStart) + " of " + need + " bytes)");
        }
        return a;
    }

    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    int itemSize() {
        String k = kind();
        if (k.startsWith("U") && k.length() > 1 && k.substring(1).chars().allMatch(Character::isDigit)) {
            return 4 * Integer.parseInt(k.substring(1));
        }
        return switch (k) {
            case "u1", "i1", "b1" -> 1;
            case "u2", "i2" -> 2;
            case "u4", "i4", "f4" -> 4;
            case "u8", "i8", "f8" -> 8;
            default -> throw new LosslabException(name + ": dtype '" + descr + "' is not supported (need an integer or float array)");
        };
    }

    /** The dtype without its byte-order mark, e.g. "u1", "f4"; big-endian multi-byte types are refused. */
    String kind() {
        String k = descr;
        if (k.startsWith(">") && !(k.endsWith("1"))) {
            throw new LosslabException(name + ": big-endian dtype '" + descr + "' is not supported");
        }
        if (k.startsWith("<") || k.startsWith("|") || k.startsWith("=") || k.startsWith(">")) {
            k = k.substring(1);
        }
        return k;
    }

    private double value(ByteBuffer b, String k, int i) {
        int at = dataStart + i * itemSize();
        return switch (k) {
            case "u1", "b1" -> content[at] & 0xff;
            case "i1" -> content[at];
            case "u2" -> b.getShort(at) & 0xffff;
            case "i2" -> b.getShort(at);
            case "u4" -> b.getInt(at) & 0xffffffffL;
            case "i4" -> b.getInt(at);
            case "i8", "u8" -> b.getLong(at);
            case "f4" -> b.getFloat(at);
            case "f8" -> b.getDouble(at);
            default -> throw new LosslabException(name + ": dtype '" + descr + "' is not supported");
        };
    }

    /**
     * Images as unsigned bytes with their {@code [N, H, W, C]} shape. Accepts {@code [N,H,W]} (C = 1)
     * and {@code [N,H,W,C]}; uint8 as is; float arrays whose values all lie in [0, 1] are taken as
     * scaled pixels (x 255), others as 0..255 values; floats are rounded and must lie in 0..255.
     */
    public LabelledImages images(int[] labels) {
        if (!(shape.length == 3 || shape.length == 4)) {
            throw new LosslabException(name + ": image array has shape " + shapeString() + "; need [N,H,W] or [N,H,W,C]");
        }
        int n = (int) shape[0];
        int h = (int) shape[1];
        int w = (int) shape[2];
        int c = shape.length == 4 ? (int) shape[3] : 1;
        if (labels.length != n) {
            throw new LosslabException(name + ": " + n + " images but " + labels.length + " labels");
        }
        if (h < 1 || w < 1 || c < 1) {
            throw new LosslabException(name + ": image array has shape " + shapeString());
        }
        String k = kind();
        int count = (int) elements();
        byte[] px = new byte[count];
        if (k.equals("u1")) {
            System.arraycopy(content, dataStart, px, 0, count);
        } else if (k.equals("f4") || k.equals("f8")) {
            ByteBuffer b = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
            double max = 0;
            for (int i = 0; i < count; i++) {
                double v = value(b, k, i);
                if (!Double.isFinite(v)) {
                    throw new LosslabException(name + ": value " + v + " at element " + i + " is not finite");
                }
                max = Math.max(max, v);
            }
            double scale = max <= 1.0 ? 255.0 : 1.0;
            for (int i = 0; i < count; i++) {
                long v = Math.round(value(b, k, i) * scale);
                if (v < 0 || v > 255) {
                    throw new LosslabException(name + ": pixel value " + value(b, k, i) + " at element " + i
                            + " is outside 0..255 (or 0..1)");
                }
                px[i] = (byte) v;
            }
        } else {
            throw new LosslabException(name + ": image dtype '" + descr + "' is not supported; need uint8 or float32");
        }
        return new LabelledImages(px, labels, h, w, c);
    }

    /**
     * The values as pixel values on the 0..255 scale, for {@code predict}: uint8 as is, little-endian
     * float32 as stored (an array already in [0, 1] wants {@code --pixels raw}); other dtypes refused.
     */
    public float[] pixelValues() {
        String k = kind();
        int count = (int) elements();
        float[] v = new float[count];
        if (k.equals("u1") || k.equals("b1")) {
            for (int i = 0; i < count; i++) {
                v[i] = content[dataStart + i] & 0xff;
            }
        } else if (k.equals("f4") && !descr.startsWith(">")) {
            ByteBuffer b = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                v[i] = b.getFloat(dataStart + 4 * i);
                if (!Float.isFinite(v[i])) {
                    throw new LosslabException(name + ": value " + v[i] + " at element " + i + " is not finite");
                }
            }
        } else {
            throw new LosslabException(name + ": dtype '" + descr + "' not supported; need uint8 or float32 (little-endian)");
        }
        return v;
    }

    /** Integer class labels from an {@code [N]} or {@code [N, 1]} array of any integer dtype. */
    public int[] labels() {
        if (!(shape.length == 1 || shape.length == 2 && shape[1] == 1)) {
            throw new LosslabException(name + ": label array has shape " + shapeString() + "; need [N] or [N,1]");
        }
        String k = kind();
        if (k.startsWith("f")) {
            throw new LosslabException(name + ": labels must be integers, not dtype '" + descr + "'");
        }
        ByteBuffer b = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) shape[0];
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double v = value(b, k, i);
            if (v < 0 || v > 1_000_000) {
                throw new LosslabException(name + ": label " + (long) v + " at index " + i + " is out of range (need 0..K-1)");
            }
            out[i] = (int) v;
        }
        return out;
    }

    String shapeString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return sb.append(']').toString();
    }

    /** A v1 .npy file holding {@code data} (raw little-endian values of dtype {@code descr}) with {@code shape}. */
    public static byte[] encode(String descr, long[] shape, byte[] data) {
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        if (shape.length == 1) {
            dims.append(',');
        }
        String dict = String.format(Locale.ROOT, "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, dims);
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(total - unpadded) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(total + data.length);
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xff);
        out.write((header.length() >> 8) & 0xff);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** Integers as a little-endian int64 array (NumPy's default integer). */
    public static byte[] encodeInt64(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putLong(v);
        }
        return encode("<i8", new long[] {values.length}, b.array());
    }

    /** Strings as a fixed-width UTF-32 array ({@code <U n}), as {@code np.array(list_of_str)} stores them. */
    public static byte[] encodeStrings(List<String> values) {
        int width = 1;
        for (String s : values) {
            width = Math.max(width, s.codePointCount(0, s.length()));
        }
        ByteBuffer b = ByteBuffer.allocate(values.size() * width * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (String s : values) {
            int[] cps = s.codePoints().toArray();
            for (int i = 0; i < width; i++) {
                b.putInt(i < cps.length ? cps[i] : 0);
            }
        }
        return encode("<U" + width, new long[] {values.size()}, b.array());
    }

    /** The strings of a {@code <U n} array. */
    public List<String> strings() {
        String k = kind();
        if (!k.startsWith("U")) {
            throw new LosslabException(name + ": not a string array (dtype '" + descr + "')");
        }
        int width = Integer.parseInt(k.substring(1));
        ByteBuffer b = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < elements(); i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < width; j++) {
                int cp = b.getInt(dataStart + (i * width + j) * 4);
                if (cp != 0) {
                    sb.appendCodePoint(cp);
                }
            }
            out.add(sb.toString());
        }
        return out;
    }
}
