package dev.losslab.inference;

import dev.losslab.LosslabException;
import dev.losslab.data.IdxFile;
import dev.losslab.data.IdxImages;
import dev.losslab.data.ColorMode;
import dev.losslab.data.DecodeOptions;
import dev.losslab.data.ImageDecoder;
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

/**
 * Images to predict on, as pixel values on the 0..255 scale (not yet scaled; see
 * {@link PixelScaling}), {@code N x H x W x C} row-major, one image after another, with where each
 * came from.
 *
 * <p>Readers: an IDX image file (gzip'd or raw); a {@code .npy} array {@code [N,H,W]} or
 * {@code [N,H,W,C]} of uint8 or float32 (C order; float values are taken as pixel values on the
 * 0..255 scale, so an array already in [0, 1] wants {@code --pixels raw}); picture files (PNG, JPEG,
 * BMP, GIF), given one by one or as folders, walked recursively in Keras' order (folders by sorted
 * path, files by sorted name). Pictures go through the same {@link ImageDecoder} as training: TF's
 * decoders with the model's channels (libpng/libjpeg colour-to-grey), Keras' crop/pad to aspect
 * ratio when the model was trained so, and {@code tf.image.resize} to the model's size with the
 * interpolation it was trained with (bilinear for other models). IDX and {@code .npy} inputs must
 * already have the model's size.
 *
 * @param sources per image, its path relative to the folder it was found in (or as given), or null
 */
public record InputImages(float[] values, int count, int height, int width, int channels, List<String> sources,
                          String kind) {

    public static final List<String> PICTURE_SUFFIXES = ImageDecoder.EXTENSIONS;

    /** As {@link #read(List, long, long, int, DecodeOptions)} for one-channel models decoded bilinearly. */
    public static InputImages read(List<Path> paths, long height, long width) {
        return read(paths, height, width, 1, null);
    }

    /**
     * Reads {@code paths} (one IDX or .npy file, or picture files and folders) for a model taking
     * {@code height x width x channels} images (-1 where the model leaves a side open; pictures then keep
     * their own size, which must be the same for all); {@code decoding} as the model was trained (may be
     * null: bilinear, no crop or pad).
     */
    public static InputImages read(List<Path> paths, long height, long width, int channels, DecodeOptions decoding) {
        if (paths.isEmpty()) {
            throw new LosslabException("--images: give an IDX file, a .npy file, or picture files or folders");
        }
        List<Path> pictures = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                for (Path f : picturesIn(p)) {
                    pictures.add(f);
                    names.add(relative(p, f));
                }
            } else if (isPicture(p)) {
                pictures.add(p);
                names.add(p.toString());
            } else if (paths.size() == 1) {
                InputImages in = p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy") ? readNpy(p, channels)
                        : readIdx(p);
                if (in.channels() != channels) {
                    throw new LosslabException(p + ": images have " + in.channels() + " channel(s) but the model expects " + channels);
                }
                checkSize(p, in, height, width);
                return in;
            } else {
                throw new LosslabException(p + ": with several --images, each must be a picture file or a folder of them");
            }
        }
        if (pictures.isEmpty()) {
            throw new LosslabException(paths.get(0) + ": no .png, .jpg, .jpeg, .bmp or .gif files");
        }
        int[] size = height > 0 && width > 0 ? new int[] {(int) height, (int) width} : null;
        DecodeOptions options = new DecodeOptions(ColorMode.ofChannels(channels), size,
                decoding == null ? null : decoding.interpolation(),
                decoding != null && size != null && decoding.cropToAspectRatio(),
                decoding != null && size != null && decoding.padToAspectRatio());
        return readPictures(pictures, names, options);
    }

    private static String relative(Path root, Path f) {
        StringBuilder sb = new StringBuilder();
        for (Path part : root.relativize(f)) {
            sb.append(sb.length() == 0 ? "" : "/").append(part);
        }
        return sb.toString();
    }

    static boolean isPicture(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return PICTURE_SUFFIXES.stream().anyMatch(n::endsWith);
    }

    private static List<Path> picturesIn(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(InputImages::isPicture)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(java.util.Comparator.comparing((Path p) -> p.getParent().toString())
                            .thenComparing(p -> p.getFileName().toString())).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
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
        return new InputImages(v, idx.count(), idx.rows(), idx.cols(), 1, null, "idx");
    }

    private static final Pattern NPY_DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern NPY_ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern NPY_SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** NumPy's .npy format, versions 1 to 3 (magic, version, header length, Python-dict header, data). */
    static InputImages readNpy(Path p, int channels) {
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
        if (!(shape.size() == 3 && channels == 1 || shape.size() == 4 && shape.get(3) == channels)) {
            throw new LosslabException(p + ": array shape " + shape + "; need " + (channels == 1 ? "[N,H,W] or " : "")
                    + "[N,H,W," + channels + "]");
        }
        long n = shape.get(0);
        long h = shape.get(1);
        long w = shape.get(2);
        if (n < 1 || h < 1 || w < 1 || n * h * w * channels > Integer.MAX_VALUE) {
            throw new LosslabException(p + ": array shape " + shape + " is empty or too large");
        }
        int count = (int) (n * h * w * channels);
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
        return new InputImages(v, (int) n, (int) h, (int) w, channels, null, "npy");
    }

    private static void need(Path p, byte[] all, int start, long bytes) {
        if (start + bytes > all.length) {
            throw new LosslabException(p + ": truncated .npy data (" + (all.length - start) + " of " + bytes + " bytes)");
        }
    }

    static InputImages readPictures(List<Path> files, List<String> names, DecodeOptions options) {
        float[] v = null;
        int h = 0;
        int w = 0;
        int c = options.channels();
        try (ImageDecoder decoder = new ImageDecoder(options)) {
            for (int from = 0; from < files.size(); from += ImageDecoder.BATCH) {
                int to = Math.min(files.size(), from + ImageDecoder.BATCH);
                List<byte[]> contents = new ArrayList<>();
                List<String> paths = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    Path f = files.get(i);
                    try {
                        contents.add(Files.readAllBytes(f));
                    } catch (IOException e) {
                        throw new LosslabException(f + ": cannot read (" + e.getMessage() + ")");
                    }
                    paths.add(f.toString());
                }
                List<ImageDecoder.Decoded> decoded = decoder.decodeAll(contents, paths);
                for (int i = from; i < to; i++) {
                    ImageDecoder.Decoded d = decoded.get(i - from);
                    if (v == null) {
                        h = d.height();
                        w = d.width();
                        if ((long) files.size() * h * w * c > Integer.MAX_VALUE) {
                            throw new LosslabException(files.size() + " pictures of " + h + "x" + w + " are too many for one call");
                        }
                        v = new float[files.size() * h * w * c];
                    } else if (d.height() != h || d.width() != w) {
                        throw new LosslabException("pictures differ in size (" + files.get(0) + " is " + h + "x" + w + ", "
                                + files.get(i) + " is " + d.height() + "x" + d.width() + ") and the model leaves its size open");
                    }
                    byte[] px = d.pixels();
                    int at = i * h * w * c;
                    for (int j = 0; j < px.length; j++) {
                        v[at + j] = px[j] & 0xff;
                    }
                }
            }
        }
        return new InputImages(v, files.size(), h, w, c, names, "pictures");
    }
}
