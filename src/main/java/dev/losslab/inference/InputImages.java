package dev.losslab.inference;

import dev.losslab.LosslabException;
import dev.losslab.data.IdxFile;
import dev.losslab.data.IdxImages;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Images to predict on, as single-channel pixel values on the 0..255 scale (not yet scaled; see
 * {@link PixelScaling}), row-major, one image after another, with where each came from.
 *
 * <p>Readers: an IDX image file (gzip'd or raw); a {@code .npy} array {@code [N,H,W]} or
 * {@code [N,H,W,1]} of uint8 or float32 (C order; float values are taken as pixel values on the
 * 0..255 scale, so an array already in [0, 1] wants {@code --pixels raw}); PNG or JPEG files, given
 * one by one or as a folder (its {@code .png/.jpg/.jpeg} files, sorted by name). Pictures are
 * converted to grayscale with ITU-R BT.601 weights, gray = 0.299 R + 0.587 G + 0.114 B (as PIL's
 * {@code convert("L")}; gray and 16-bit files read from their raster, alpha ignored), and resized to
 * the model's height x width by bilinear interpolation with half-pixel centres (TF's
 * {@code tf.image.resize} default, no antialiasing). IDX and {@code .npy} inputs must already have
 * the model's size.
 */
public record InputImages(float[] values, int count, int height, int width, List<String> sources, String kind) {

    public static final List<String> PICTURE_SUFFIXES = List.of(".png", ".jpg", ".jpeg");

    /**
     * Reads {@code paths} (one IDX or .npy file, or picture files and folders) for a model taking
     * {@code height x width} images (-1 where the model leaves a side open; pictures then keep 28).
     */
    public static InputImages read(List<Path> paths, long height, long width) {
        if (paths.isEmpty()) {
            throw new LosslabException("--images: give an IDX file, a .npy file, or PNG/JPEG files or folders");
        }
        List<Path> pictures = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                pictures.addAll(picturesIn(p));
            } else if (isPicture(p)) {
                pictures.add(p);
            } else if (paths.size() == 1) {
                InputImages in = p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy") ? readNpy(p) : readIdx(p);
                checkSize(p, in, height, width);
                return in;
            } else {
                throw new LosslabException(p + ": with several --images, each must be a PNG/JPEG file or a folder of them");
            }
        }
        if (pictures.isEmpty()) {
            throw new LosslabException(paths.get(0) + ": no .png, .jpg or .jpeg files");
        }
        return readPictures(pictures, height > 0 ? (int) height : 28, width > 0 ? (int) width : 28);
    }

    static boolean isPicture(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return PICTURE_SUFFIXES.stream().anyMatch(n::endsWith);
    }

    private static List<Path> picturesIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(InputImages::isPicture).sorted().toList();
        } catch (IOException e) {
            throw new LosslabException(dir + ": cannot list (" + e.getMessage() + ")");
        }
    }

    private static void checkSize(Path p, InputImages in, long height, long width) {
        if (height > 0 && in.height() != height || width > 0 && in.width() != width) {
            throw new LosslabException(p + ": images are " + in.height() + "x" + in.width() + " but the model expects "
                    + (height > 0 ? height : in.height()) + "x" + (width > 0 ? width : in.width()));
        }
    }

    static InputImages readIdx(Path p) {
        IdxImages idx = IdxFile.readImages(p);
        byte[] px = idx.pixels();
        float[] v = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            v[i] = px[i] & 0xff;
        }
        return new InputImages(v, idx.count(), idx.rows(), idx.cols(), null, "idx");
    }

    private static final Pattern NPY_DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern NPY_ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern NPY_SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** NumPy's .npy format, versions 1 to 3 (magic, version, header length, Python-dict header, data). */
    static InputImages readNpy(Path p) {
        byte[] all;
        try {
            all = Files.readAllBytes(p);
        } catch (IOException e) {
            throw new LosslabException(p + ": cannot read (" + e.getMessage() + ")");
        }
        if (all.length < 10 || (all[0] & 0xff) != 0x93 || !new String(all, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new LosslabException(p + ": not a .npy file (bad magic)");
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
                throw new LosslabException(p + ": truncated .npy header");
            }
            headerLen = b.getInt(8);
            start = 12;
        } else {
            throw new LosslabException(p + ": unsupported .npy version " + major);
        }
        if (headerLen < 0 || start + headerLen > all.length) {
            throw new LosslabException(p + ": truncated .npy header");
        }
        String header = new String(all, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = NPY_DESCR.matcher(header);
        Matcher o = NPY_ORDER.matcher(header);
        Matcher s = NPY_SHAPE.matcher(header);
        if (!d.find() || !o.find() || !s.find()) {
            throw new LosslabException(p + ": .npy header lacks descr, fortran_order or shape");
        }
        String descr = d.group(1);
        if (o.group(1).equals("True")) {
            throw new LosslabException(p + ": Fortran-ordered arrays are not supported (save with np.ascontiguousarray)");
        }
        List<Long> shape = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                try {
                    shape.add(Long.parseLong(part.trim()));
                } catch (NumberFormatException e) {
                    throw new LosslabException(p + ": bad .npy shape (" + s.group(1) + ")");
                }
            }
        }
        if (!(shape.size() == 3 || shape.size() == 4 && shape.get(3) == 1)) {
            throw new LosslabException(p + ": array shape " + shape + "; need [N,H,W] or [N,H,W,1]");
        }
        long n = shape.get(0);
        long h = shape.get(1);
        long w = shape.get(2);
        if (n < 1 || h < 1 || w < 1 || n * h * w > Integer.MAX_VALUE) {
            throw new LosslabException(p + ": array shape " + shape + " is empty or too large");
        }
        int count = (int) (n * h * w);
        int dataStart = start + headerLen;
        float[] v = new float[count];
        switch (descr) {
            case "|u1", "u1", "<u1", "|b1" -> {
                need(p, all, dataStart, count);
                for (int i = 0; i < count; i++) {
                    v[i] = all[dataStart + i] & 0xff;
                }
            }
            case "<f4" -> {
                need(p, all, dataStart, 4L * count);
                for (int i = 0; i < count; i++) {
                    v[i] = b.getFloat(dataStart + 4 * i);
                    if (!Float.isFinite(v[i])) {
                        throw new LosslabException(p + ": value " + v[i] + " at element " + i + " is not finite");
                    }
                }
            }
            default -> throw new LosslabException(p + ": dtype '" + descr + "' not supported; need uint8 or float32 (little-endian)");
        }
        return new InputImages(v, (int) n, (int) h, (int) w, null, "npy");
    }

    private static void need(Path p, byte[] all, int start, long bytes) {
        if (start + bytes > all.length) {
            throw new LosslabException(p + ": truncated .npy data (" + (all.length - start) + " of " + bytes + " bytes)");
        }
    }

    static InputImages readPictures(List<Path> files, int height, int width) {
        float[] v = new float[files.size() * height * width];
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            BufferedImage img;
            try {
                img = ImageIO.read(f.toFile());
            } catch (IOException | RuntimeException e) {
                throw new LosslabException(f + ": cannot decode (" + LosslabException.firstLine(String.valueOf(e.getMessage())) + ")");
            }
            if (img == null) {
                throw new LosslabException(f + ": not a readable PNG or JPEG image");
            }
            float[] gray = grayscale(img);
            float[] resized = resize(gray, img.getHeight(), img.getWidth(), height, width);
            System.arraycopy(resized, 0, v, i * height * width, height * width);
            sources.add(f.toString());
        }
        return new InputImages(v, files.size(), height, width, sources, "pictures");
    }

    /** 0..255 gray values, row-major. */
    static float[] grayscale(BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        float[] g = new float[h * w];
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        boolean gray = img.getColorModel().getColorSpace().getNumComponents() == 1 && bands <= 2;
        if (gray) {
            int bits = img.getColorModel().getComponentSize(0);
            float scale = 255f / ((1 << bits) - 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    g[y * w + x] = r.getSample(x, y, 0) * scale;
                }
            }
            return g;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                g[y * w + x] = (float) (0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff));
            }
        }
        return g;
    }

    /** Bilinear resize with half-pixel centres (source coordinate (i + 0.5) * in / out - 0.5, clamped). */
    static float[] resize(float[] src, int inH, int inW, int outH, int outW) {
        if (inH == outH && inW == outW) {
            return src;
        }
        float[] out = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            double sy = Math.min(Math.max((y + 0.5) * inH / outH - 0.5, 0), inH - 1);
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, inH - 1);
            double fy = sy - y0;
            for (int x = 0; x < outW; x++) {
                double sx = Math.min(Math.max((x + 0.5) * inW / outW - 0.5, 0), inW - 1);
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(x0 + 1, inW - 1);
                double fx = sx - x0;
                double top = src[y0 * inW + x0] * (1 - fx) + src[y0 * inW + x1] * fx;
                double bottom = src[y1 * inW + x0] * (1 - fx) + src[y1 * inW + x1] * fx;
                out[y * outW + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }
}
