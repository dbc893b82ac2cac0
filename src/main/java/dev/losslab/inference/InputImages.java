package dev.losslab.inference;

import dev.losslab.LosslabException;
import dev.losslab.data.IdxFile;
import dev.losslab.data.IdxImages;
import dev.losslab.data.ColorMode;
import dev.losslab.data.DecodeOptions;
import dev.losslab.data.ImageDecoder;
import dev.losslab.data.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    /** NumPy's .npy format ({@link NpyArray}): uint8 or little-endian float32, [N,H,W] or [N,H,W,C]. */
    static InputImages readNpy(Path p, int channels) {
        byte[] all;
        try {
            all = Files.readAllBytes(p);
        } catch (IOException e) {
            throw new LosslabException(p + ": cannot read (" + e.getMessage() + ")");
        }
        NpyArray a = NpyArray.parse(p.toString(), all);
        long[] shape = a.shape();
        if (!(shape.length == 3 && channels == 1 || shape.length == 4 && shape[3] == channels)) {
            throw new LosslabException(p + ": array shape " + java.util.Arrays.toString(shape) + "; need "
                    + (channels == 1 ? "[N,H,W] or " : "") + "[N,H,W," + channels + "]");
        }
        if (shape[0] < 1 || shape[1] < 1 || shape[2] < 1) {
            throw new LosslabException(p + ": array shape " + java.util.Arrays.toString(shape) + " is empty");
        }
        float[] v = a.pixelValues();
        return new InputImages(v, (int) shape[0], (int) shape[1], (int) shape[2], channels, null, "npy");
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
