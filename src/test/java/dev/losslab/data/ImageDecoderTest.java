package dev.losslab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import dev.losslab.testing.Pictures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoder against plain-Java references of what Keras does: {@code tf.image.resize} bilinear and
 * nearest with half-pixel centres, area on whole-factor shrinking, Keras 3's crop and pad to aspect
 * ratio, and TF's grey conversion of GIFs.
 */
class ImageDecoderTest {
    @TempDir
    Path dir;

    /** Half-pixel-centre bilinear (TF's ResizeBilinear, half_pixel_centers=True), in float64. */
    static double[] bilinear(byte[] src, int inH, int inW, int c, int outH, int outW) {
        double[] out = new double[outH * outW * c];
        for (int y = 0; y < outH; y++) {
            double sy = (y + 0.5) * inH / outH - 0.5;
            int y0 = (int) Math.floor(sy);
            double fy = sy - y0;
            int ya = Math.max(y0, 0);
            int yb = Math.min(y0 + 1, inH - 1);
            for (int x = 0; x < outW; x++) {
                double sx = (x + 0.5) * inW / outW - 0.5;
                int x0 = (int) Math.floor(sx);
                double fx = sx - x0;
                int xa = Math.max(x0, 0);
                int xb = Math.min(x0 + 1, inW - 1);
                for (int ch = 0; ch < c; ch++) {
                    double tl = src[(ya * inW + xa) * c + ch] & 0xff;
                    double tr = src[(ya * inW + xb) * c + ch] & 0xff;
                    double bl = src[(yb * inW + xa) * c + ch] & 0xff;
                    double br = src[(yb * inW + xb) * c + ch] & 0xff;
                    double top = tl + (tr - tl) * fx;
                    double bottom = bl + (br - bl) * fx;
                    out[(y * outW + x) * c + ch] = top + (bottom - top) * fy;
                }
            }
        }
        return out;
    }

    private static byte[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static void assertWithin(double[] expected, byte[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - (actual[i] & 0xff));
            assertTrue(d <= tol, "value " + i + ": expected " + expected[i] + ", got " + (actual[i] & 0xff));
        }
    }

    private ImageDecoder.Decoded decode(Path file, DecodeOptions o) throws IOException {
        try (ImageDecoder d = new ImageDecoder(o)) {
            return d.decode(Files.readAllBytes(file), file.toString());
        }
    }

    @Test
    void pngDecodesExactlyAndResizesAsTfBilinear() throws IOException {
        byte[] rgb = random(23 * 17 * 3, 1);
        Path png = dir.resolve("a.png");
        Pictures.write(png, "png", 23, 17, 3, rgb);
        ImageDecoder.Decoded same = decode(png, new DecodeOptions(ColorMode.RGB, null, null, false, false));
        assertArrayEquals(rgb, same.pixels(), "lossless PNG decodes to its bytes");
        assertEquals(23, same.height());
        for (int[] size : new int[][] {{32, 32}, {10, 9}, {23, 40}}) {
            ImageDecoder.Decoded r = decode(png, new DecodeOptions(ColorMode.RGB, size, Interpolation.BILINEAR, false, false));
            assertEquals(size[0], r.height());
            assertEquals(size[1], r.width());
            assertWithin(bilinear(rgb, 23, 17, 3, size[0], size[1]), r.pixels(), 0.51);
        }
    }

    @Test
    void nearestAndAreaFollowTf() throws IOException {
        byte[] g = random(20 * 12, 2);
        Path png = dir.resolve("g.png");
        Pictures.write(png, "png", 20, 12, 1, g);
        ImageDecoder.Decoded n = decode(png, new DecodeOptions(ColorMode.GRAYSCALE, new int[] {7, 5}, Interpolation.NEAREST, false, false));
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 5; x++) {
                int sy = Math.min((int) Math.floor((y + 0.5) * 20 / 7), 19);
                int sx = Math.min((int) Math.floor((x + 0.5) * 12 / 5), 11);
                assertEquals(g[sy * 12 + sx] & 0xff, n.pixels()[y * 5 + x] & 0xff, "nearest at " + y + "," + x);
            }
        }
        // area on a whole factor (20x12 -> 10x6) is the mean of each 2x2 block
        ImageDecoder.Decoded a = decode(png, new DecodeOptions(ColorMode.GRAYSCALE, new int[] {10, 6}, Interpolation.AREA, false, false));
        double[] expected = new double[60];
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 6; x++) {
                double s = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        s += g[(2 * y + dy) * 12 + 2 * x + dx] & 0xff;
                    }
                }
                expected[y * 6 + x] = s / 4;
            }
        }
        assertWithin(expected, a.pixels(), 0.51);
    }

    @Test
    void cropAndPadToAspectRatioAsKeras3() throws IOException {
        // tall image 40x20 to 10x10: crop keeps rows 10..29 (centred 20x20), then resizes
        byte[] tall = random(40 * 20, 3);
        Path t = dir.resolve("tall.png");
        Pictures.write(t, "png", 40, 20, 1, tall);
        assertArrayEquals(new int[] {10, 0, 20, 20}, ImageDecoder.cropBox(40, 20, 10, 10));
        byte[] window = ImageDecoder.window(tall, 40, 20, 1, 10, 0, 20, 20);
        ImageDecoder.Decoded c = decode(t, new DecodeOptions(ColorMode.GRAYSCALE, new int[] {10, 10}, null, true, false));
        assertWithin(bilinear(window, 20, 20, 1, 10, 10), c.pixels(), 0.51);
        // wide image 20x40 to 10x10: pad adds 10 zero rows above and below (40x40), then resizes
        byte[] wide = random(20 * 40, 4);
        Path w = dir.resolve("wide.png");
        Pictures.write(w, "png", 20, 40, 1, wide);
        assertArrayEquals(new int[] {10, 0}, ImageDecoder.padding(20, 40, 10, 10));
        byte[] padded = new byte[40 * 40];
        System.arraycopy(wide, 0, padded, 10 * 40, 20 * 40);
        ImageDecoder.Decoded p = decode(w, new DecodeOptions(ColorMode.GRAYSCALE, new int[] {10, 10}, null, false, true));
        assertWithin(bilinear(padded, 40, 40, 1, 10, 10), p.pixels(), 0.51);
        assertEquals(20, p.fileHeight());
    }

    @Test
    void gifToGreyAsTfRgbToGrayscaleAndBmpDecodes() throws IOException {
        byte[] rgb = random(8 * 8 * 3, 5);
        Path gif = dir.resolve("a.gif");
        Pictures.write(gif, "gif", 8, 8, 3, rgb);
        byte[] asRgb = decode(gif, new DecodeOptions(ColorMode.RGB, null, null, false, false)).pixels();
        byte[] grey = decode(gif, new DecodeOptions(ColorMode.GRAYSCALE, null, null, false, false)).pixels();
        assertArrayEquals(ImageDecoder.rgbToGrayscale(asRgb), grey);
        Path bmp = dir.resolve("a.bmp");
        Pictures.write(bmp, "bmp", 8, 8, 3, rgb);
        assertArrayEquals(rgb, decode(bmp, new DecodeOptions(ColorMode.RGB, null, null, false, false)).pixels());
    }

    @Test
    void corruptAndTruncatedFilesNameTheFile() throws IOException {
        Path bad = dir.resolve("bad.png");
        Files.writeString(bad, "not an image");
        var e = assertThrows(LosslabException.class, () -> decode(bad, DecodeOptions.GRAYSCALE_AS_IS));
        assertTrue(e.getMessage().startsWith(bad + ": cannot decode"), e.getMessage());
        Path good = dir.resolve("good.png");
        Pictures.write(good, "png", 30, 30, 3, random(2700, 6));
        byte[] all = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.png");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        var e2 = assertThrows(LosslabException.class, () -> decode(cut, new DecodeOptions(ColorMode.RGB, null, null, false, false)));
        assertTrue(e2.getMessage().contains("cut.png"), e2.getMessage());
        assertThrows(LosslabException.class, () -> new DecodeOptions(ColorMode.RGB, new int[] {10, 10}, null, true, true));
        assertThrows(LosslabException.class, () -> new DecodeOptions(ColorMode.RGB, null, null, true, false));
    }
}
