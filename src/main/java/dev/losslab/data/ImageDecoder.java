package dev.losslab.data;

import dev.losslab.LosslabException;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.op.image.ResizeArea;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * Turns one picture file's bytes into {@code H x W x C} unsigned bytes exactly as Keras'
 * {@code image_dataset_from_directory} does, with TensorFlow's own kernels: {@code DecodeImage}
 * (content-sniffed PNG, JPEG, GIF first frame, BMP; {@code channels} from the colour mode, so
 * libpng/libjpeg convert colour to grey as TF does), then Keras 3's crop or pad to the target's
 * aspect ratio ({@code keras/src/backend/tensorflow/image.py}, {@code resize}), then
 * {@code tf.image.resize} v2 ({@code ResizeBilinear}/{@code ResizeNearestNeighbor} with half-pixel
 * centres, {@code ResizeArea}). Keras hands over the resized floats; here they are rounded to the
 * nearest integer (half to even) and clipped to 0..255, so every value is within 0.5 of Keras'.
 *
 * <p>Used by the folder source and by {@code predict}, so a pixel is converted the same way at both
 * ends. Thread-safe: one TF session serves concurrent calls (the folder source decodes on all cores).
 */
public final class ImageDecoder implements AutoCloseable {
    private final DecodeOptions options;
    private final Graph graph = new Graph();
    private final Session session;
    private final Placeholder<TString> contents;
    private final Operand<TUint8> decoded;
    private final Operand<TUint8> decodedRgb;
    private final Placeholder<TUint8> toResize;
    private final Operand<TUint8> resized;
    private final List<Placeholder<TString>> batchContents = new java.util.ArrayList<>();
    private final List<Operand<TUint8>> batchDecoded = new java.util.ArrayList<>();

    /** Files decoded per session call by {@link #decodeAll}: one TF call per file costs more than the decode. */
    public static final int BATCH = 32;

    /** One image's pixels, and the size it had in its file. */
    public record Decoded(byte[] pixels, int height, int width, int channels, int fileHeight, int fileWidth) {
    }

    public ImageDecoder(DecodeOptions options) {
        this.options = options;
        Ops tf = Ops.create(graph);
        contents = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
        decoded = tf.image.decodeImage(contents, TUint8.class, DecodeImage.channels((long) options.channels()),
                DecodeImage.expandAnimations(false));
        // GIF has no grey decoder: decode as RGB and convert as tf.image.rgb_to_grayscale does
        decodedRgb = tf.image.decodeImage(contents, TUint8.class, DecodeImage.channels(3L), DecodeImage.expandAnimations(false));
        for (int i = 0; i < BATCH; i++) {
            var in = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
            batchContents.add(in);
            batchDecoded.add(tf.image.decodeImage(in, TUint8.class, DecodeImage.channels((long) options.channels()),
                    DecodeImage.expandAnimations(false)));
        }
        if (options.imageSize() != null) {
            toResize = tf.placeholder(TUint8.class, Placeholder.shape(Shape.of(1, -1, -1, options.channels())));
            Operand<org.tensorflow.types.TInt32> size = tf.constant(options.imageSize());
            Operand<TFloat32> r = switch (options.interpolation()) {
                case BILINEAR -> tf.image.resizeBilinear(toResize, size, ResizeBilinear.halfPixelCenters(true));
                case AREA -> tf.image.resizeArea(toResize, size, ResizeArea.alignCorners(false));
                case NEAREST -> tf.dtypes.cast(tf.image.resizeNearestNeighbor(toResize, size,
                        ResizeNearestNeighbor.halfPixelCenters(true)), TFloat32.class);
            };
            resized = tf.dtypes.cast(tf.clipByValue(tf.math.round(r), tf.constant(0f), tf.constant(255f)), TUint8.class);
        } else {
            toResize = null;
            resized = null;
        }
        session = new Session(graph, ConfigProto.newBuilder().setIntraOpParallelismThreads(1)
                .setInterOpParallelismThreads(1).putDeviceCount("GPU", 0).build());
    }

    public DecodeOptions options() {
        return options;
    }

    /**
     * Decodes {@code content}; {@code name} (a file path) names the file in errors.
     *
     * @throws LosslabException naming the file when the content is not a decodable image
     */
    public Decoded decode(byte[] content, String name) {
        int c = options.channels();
        byte[] px;
        int h;
        int w;
        try (TString in = TString.tensorOfBytes(NdArrays.scalarOfObject(content))) {
            boolean gifGrey = c == 1 && isGif(content);
            try (var r = session.runner().feed(contents, in).fetch(gifGrey ? decodedRgb : decoded).run()) {
                TUint8 t = (TUint8) r.get(0);
                Shape s = t.shape();
                if (s.numDimensions() != 3) {
                    throw new LosslabException(name + ": cannot decode (decoded to shape " + s + ")");
                }
                h = (int) s.get(0);
                w = (int) s.get(1);
                int got = (int) s.get(2);
                byte[] raw = new byte[h * w * got];
                t.copyTo(DataBuffers.of(raw, false, false));
                px = gifGrey ? rgbToGrayscale(raw) : raw;
            }
        } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
            throw new LosslabException(name + ": cannot decode (" + LosslabException.firstLine(e.getMessage()) + ")");
        }
        if (h < 1 || w < 1) {
            throw new LosslabException(name + ": cannot decode (empty image)");
        }
        return fit(px, h, w, name);
    }

    /** Crops or pads to the target's aspect ratio and resizes, as configured. */
    private Decoded fit(byte[] px, int h, int w, String name) {
        int c = options.channels();
        int[] size = options.imageSize();        if (size == null) {
            return new Decoded(px, h, w, c, h, w);
        }
        int fileH = h;
        int fileW = w;
        if (options.cropToAspectRatio()) {
            int[] box = cropBox(h, w, size[0], size[1]);
            px = window(px, h, w, c, box[0], box[1], box[2], box[3]);
            h = box[2];
            w = box[3];
        } else if (options.padToAspectRatio()) {
            int[] pad = padding(h, w, size[0], size[1]);
            px = pad(px, h, w, c, pad[0], pad[1]);
            h += 2 * pad[0];
            w += 2 * pad[1];
        }
        if (h == size[0] && w == size[1]) {
            // tf.image.resize to the same size returns every pixel unchanged (half-pixel centres)
            return new Decoded(px, h, w, c, fileH, fileW);
        }
        byte[] out = new byte[size[0] * size[1] * c];
        try (TUint8 x = TUint8.tensorOf(Shape.of(1, h, w, c), DataBuffers.of(px, true, false));
             var r = session.runner().feed(toResize, x).fetch(resized).run()) {
            ((TUint8) r.get(0)).copyTo(DataBuffers.of(out, false, false));
        } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
            throw new LosslabException(name + ": cannot resize (" + LosslabException.firstLine(e.getMessage()) + ")");
        }
        return new Decoded(out, size[0], size[1], c, fileH, fileW);
    }

    /**
     * {@link #decode} for up to {@link #BATCH} files in one session call (TF decodes them on its
     * own threads); when the call fails, or for GIFs in grey, each file is decoded alone, so an error
     * still names its file.
     */
    public List<Decoded> decodeAll(List<byte[]> contents, List<String> names) {
        if (contents.size() > BATCH || contents.stream().anyMatch(c -> options.channels() == 1 && isGif(c))) {
            return decodeEach(contents, names);
        }
        List<TString> inputs = new java.util.ArrayList<>();
        List<Decoded> out = new java.util.ArrayList<>();
        try {
            var runner = session.runner();
            for (int i = 0; i < contents.size(); i++) {
                TString t = TString.tensorOfBytes(NdArrays.scalarOfObject(contents.get(i)));
                inputs.add(t);
                runner.feed(batchContents.get(i), t).fetch(batchDecoded.get(i));
            }
            try (var r = runner.run()) {
                for (int i = 0; i < contents.size(); i++) {
                    TUint8 t = (TUint8) r.get(i);
                    Shape s = t.shape();
                    if (s.numDimensions() != 3 || s.get(0) < 1 || s.get(1) < 1) {
                        return decodeEach(contents, names);
                    }
                    int h = (int) s.get(0);
                    int w = (int) s.get(1);
                    byte[] raw = new byte[h * w * (int) s.get(2)];
                    t.copyTo(DataBuffers.of(raw, false, false));
                    out.add(fit(raw, h, w, names.get(i)));
                }
            }
            return out;
        } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
            return decodeEach(contents, names);
        } finally {
            inputs.forEach(TString::close);
        }
    }

    private List<Decoded> decodeEach(List<byte[]> contents, List<String> names) {
        List<Decoded> out = new java.util.ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            out.add(decode(contents.get(i), names.get(i)));
        }
        return out;
    }

    static boolean isGif(byte[] content) {
        return content.length >= 4 && content[0] == 'G' && content[1] == 'I' && content[2] == 'F' && content[3] == '8';
    }

    /**
     * {@code tf.image.rgb_to_grayscale} on uint8: to float by /255, weights 0.2989, 0.5870, 0.1140,
     * back by {@code convert_image_dtype} (x 255.5, truncated).
     */
    static byte[] rgbToGrayscale(byte[] rgb) {
        byte[] g = new byte[rgb.length / 3];
        for (int i = 0; i < g.length; i++) {
            float r = (rgb[3 * i] & 0xff) / 255f;
            float gr = (rgb[3 * i + 1] & 0xff) / 255f;
            float b = (rgb[3 * i + 2] & 0xff) / 255f;
            float y = r * 0.2989f + gr * 0.5870f + b * 0.1140f;
            g[i] = (byte) Math.min(255, (int) (y * 255.5f));
        }
        return g;
    }

    /**
     * Keras 3's crop to the target aspect ratio: {@code [top, left, height, width]} of the largest
     * centred window with ratio th/tw (float32 arithmetic and truncation as its TF backend).
     */
    static int[] cropBox(int h, int w, int th, int tw) {
        int cropH = Math.max(Math.min(h, (int) ((float) (w * th) / tw)), 1);
        int cropW = Math.max(Math.min(w, (int) ((float) (h * tw) / th)), 1);
        int top = (int) ((float) (h - cropH) / 2);
        int left = (int) ((float) (w - cropW) / 2);
        return new int[] {top, left, cropH, cropW};
    }

    /**
     * Keras 3's pad to the target aspect ratio: rows (or columns) of zeros added on both sides,
     * {@code [rows each side, columns each side]}.
     */
    static int[] padding(int h, int w, int th, int tw) {
        int padH = Math.max(h, (int) ((float) (w * th) / tw));
        int padW = Math.max(w, (int) ((float) (h * tw) / th));
        return new int[] {(int) ((float) (padH - h) / 2), (int) ((float) (padW - w) / 2)};
    }

    static byte[] window(byte[] px, int h, int w, int c, int top, int left, int wh, int ww) {
        byte[] out = new byte[wh * ww * c];
        for (int y = 0; y < wh; y++) {
            System.arraycopy(px, ((top + y) * w + left) * c, out, y * ww * c, ww * c);
        }
        return out;
    }

    static byte[] pad(byte[] px, int h, int w, int c, int rows, int cols) {
        int nw = w + 2 * cols;
        byte[] out = new byte[(h + 2 * rows) * nw * c];
        for (int y = 0; y < h; y++) {
            System.arraycopy(px, y * w * c, out, ((y + rows) * nw + cols) * c, w * c);
        }
        return out;
    }

    /** The lower-case picture extensions Keras accepts. */
    public static final List<String> EXTENSIONS = List.of(".bmp", ".gif", ".jpeg", ".jpg", ".png");

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
