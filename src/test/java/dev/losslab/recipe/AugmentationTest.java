package dev.losslab.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import dev.losslab.network.layers.ImageAugmentation;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The augmentation ops on small images whose every pixel is distinct: flips give the image or its mirror, a
 * pad-then-crop gives a window of the padded image (one offset per batch as Keras, or per image), the same step
 * repeats exactly and another step draws again, brightness and contrast follow their formulas, and zero factors
 * are the identity.
 */
class AugmentationTest {
    static final int B = 64;
    static final int H = 5;
    static final int W = 4;

    static Augmentation parse(String json, double pixelMax) throws Exception {
        return Augmentation.parse("augmentation", new ObjectMapper().readTree(json), pixelMax);
    }

    /** Image i, pixel (r, c): i * 100 + r * 10 + c + 1 (all distinct and non-zero). */
    static float[] images() {
        float[] x = new float[B * H * W];
        for (int i = 0; i < B; i++) {
            for (int r = 0; r < H; r++) {
                for (int c = 0; c < W; c++) {
                    x[(i * H + r) * W + c] = i * 100 + r * 10 + c + 1;
                }
            }
        }
        return x;
    }

    static float[] run(Augmentation a, float[] x, int step) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, H, W, 1)));
            var t = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            var out = a.apply(tf, in, H, W, 7, t);
            try (TFloat32 xt = TFloat32.tensorOf(Shape.of(B, H, W, 1), DataBuffers.of(x, true, false));
                 TFloat32 st = TFloat32.scalarOf(step);
                 var r = s.runner().feed(in, xt).feed(t, st).fetch(out).run()) {
                TFloat32 y = (TFloat32) r.get(0);
                assertEquals(Shape.of(B, H, W, 1), y.shape());
                float[] v = new float[B * H * W];
                y.copyTo(DataBuffers.of(v, false, false));
                return v;
            }
        }
    }

    static float px(float[] x, int i, int r, int c) {
        return x[(i * H + r) * W + c];
    }

    @Test
    void flipsGiveTheImageOrItsMirrorAndRepeatByStep() throws Exception {
        float[] x = images();
        float[] y = run(parse("[{\"RandomFlip\": {\"mode\": \"horizontal\"}}]", 1), x, 1);
        int flipped = 0;
        for (int i = 0; i < B; i++) {
            boolean same = true;
            boolean mirror = true;
            for (int r = 0; r < H; r++) {
                for (int c = 0; c < W; c++) {
                    same &= px(y, i, r, c) == px(x, i, r, c);
                    mirror &= px(y, i, r, c) == px(x, i, r, W - 1 - c);
                }
            }
            assertTrue(same || mirror, "image " + i);
            flipped += mirror ? 1 : 0;
        }
        assertTrue(flipped > 16 && flipped < 48, "about half flipped: " + flipped);
        assertArrayEquals(y, run(parse("[{\"RandomFlip\": {\"mode\": \"horizontal\"}}]", 1), x, 1), "same step, same draw");
        assertFalse(java.util.Arrays.equals(y, run(parse("[{\"RandomFlip\": {\"mode\": \"horizontal\"}}]", 1), x, 2)));
        float[] both = run(parse("[{\"RandomFlip\": {}}]", 1), x, 1);
        for (int i = 0; i < B; i++) {
            float v = px(both, i, 0, 0);
            assertTrue(v == px(x, i, 0, 0) || v == px(x, i, H - 1, W - 1), "horizontal_and_vertical flips both axes at once");
        }
    }

    /** The (dr, dc) offset of image i's window in the image padded by p, or null when it is not a window. */
    static int[] window(float[] x, float[] y, int i, int p) {
        for (int dr = 0; dr <= 2 * p; dr++) {
            for (int dc = 0; dc <= 2 * p; dc++) {
                boolean ok = true;
                for (int r = 0; r < H && ok; r++) {
                    for (int c = 0; c < W && ok; c++) {
                        int sr = r + dr - p;
                        int sc = c + dc - p;
                        float want = sr < 0 || sc < 0 || sr >= H || sc >= W ? 0 : px(x, i, sr, sc);
                        ok = px(y, i, r, c) == want;
                    }
                }
                if (ok) {
                    return new int[] {dr, dc};
                }
            }
        }
        return null;
    }

    @Test
    void padThenCropIsAWindowOfThePaddedImagePerImageOrPerBatch() throws Exception {
        float[] x = images();
        float[] perImage = run(parse("[{\"ZeroPadding2D\": {\"padding\": 2}}, {\"RandomCrop\": {\"height\": 5, \"width\": 4, "
                + "\"per_image\": true}}]", 1), x, 3);
        java.util.Set<String> offsets = new java.util.HashSet<>();
        for (int i = 0; i < B; i++) {
            int[] o = window(x, perImage, i, 2);
            assertTrue(o != null, "image " + i + " is a window");
            offsets.add(o[0] + "," + o[1]);
        }
        assertTrue(offsets.size() > 10, "offsets vary per image: " + offsets);
        float[] perBatch = run(parse("[{\"ZeroPadding2D\": {\"padding\": [2, 2]}}, {\"RandomCrop\": {\"height\": 5, "
                + "\"width\": 4}}]", 1), x, 3);
        int[] first = window(x, perBatch, 0, 2);
        for (int i = 1; i < B; i++) {
            assertArrayEquals(first, window(x, perBatch, i, 2), "Keras crops a batch at one offset");
        }
    }

    @Test
    void brightnessContrastAndZeroFactors() throws Exception {
        float[] x = images();
        float[] scaled = x.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = scaled[i] / 10000f; // in [0, 1)
        }
        float[] b = run(parse("[{\"RandomBrightness\": {\"factor\": [0.25, 0.25]}}]", 1), scaled, 1);
        for (int i = 0; i < b.length; i++) {
            assertEquals(Math.min(1f, scaled[i] + 0.25f), b[i], 1e-6);
        }
        float[] c = run(parse("[{\"RandomContrast\": {\"factor\": 0.5}}]", 1), scaled, 1);
        for (int i = 0; i < B; i++) {
            double mean = 0;
            for (int k = 0; k < H * W; k++) {
                mean += scaled[i * H * W + k];
            }
            mean /= H * W;
            double f = (c[i * H * W] - mean) / (scaled[i * H * W] - mean);
            assertTrue(f >= 0.5 - 1e-3 && f <= 1.5 + 1e-3, "contrast factor in [0.5, 1.5]: " + f);
            for (int k = 1; k < H * W; k++) {
                double want = Math.max(0, Math.min(1, (scaled[i * H * W + k] - mean) * f + mean));
                assertEquals(want, c[i * H * W + k], 1e-4);
            }
        }
        assertArrayEquals(x, run(parse("[{\"RandomTranslation\": {\"height_factor\": 0, \"width_factor\": 0}}]", 1), x, 1),
                1e-3f);
        float[] t = run(parse("[{\"RandomTranslation\": {\"height_factor\": 0.5, \"width_factor\": 0.5, "
                + "\"fill_mode\": \"constant\", \"interpolation\": \"nearest\"}}]", 1), x, 1);
        assertFalse(java.util.Arrays.equals(x, t));
    }

    @Test
    void invertFollowsKerasProbabilityAndRange() throws Exception {
        float[] x = images();
        float[] scaled = x.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = scaled[i] / 10000f;
        }
        float[] always = run(parse("[{\"RandomInvert\": {\"factor\": [1, 1]}}]", 1), scaled, 1);
        for (int i = 0; i < scaled.length; i++) {
            assertEquals(1f - scaled[i], always[i], 1e-6, "p = 1: every image becomes value_range[1] - x");
        }
        assertArrayEquals(scaled, run(parse("[{\"RandomInvert\": {\"factor\": 0}}]", 1), scaled, 1), 0f);
        float[] half = run(parse("[{\"RandomInvert\": {}}]", 255), x, 1);
        int inverted = 0;
        for (int i = 0; i < B; i++) {
            boolean inv = half[i * H * W] == 255f - x[i * H * W];
            inverted += inv ? 1 : 0;
            for (int k = 0; k < H * W; k++) {
                assertEquals(inv ? 255f - x[i * H * W + k] : x[i * H * W + k], half[i * H * W + k], 1e-3,
                        "a whole image is inverted or kept");
            }
        }
        assertTrue(inverted > 8 && inverted < B - 8, "Keras' default factor 1.0 inverts about half: " + inverted);
    }

    @Test
    void everyLayerWritesItselfBackAsKerasDoesAndReadsBackTheSame() throws Exception {
        String[] layers = {"{\"RandomFlip\": {\"mode\": \"horizontal\", \"seed\": 3}}", "\"RandomFlip\"",
                "{\"RandomCrop\": {\"height\": 4, \"width\": 3, \"per_image\": true}}",
                "{\"RandomTranslation\": {\"height_factor\": 0.1, \"width_factor\": [-0.2, 0.3], \"fill_mode\": \"constant\"}}",
                "{\"RandomRotation\": {\"factor\": 0.05, \"interpolation\": \"nearest\"}}",
                "{\"RandomZoom\": {\"height_factor\": [-0.2, 0.1]}}",
                "{\"RandomContrast\": {\"factor\": 0.3}}", "{\"RandomBrightness\": {\"factor\": 0.2, \"value_range\": [0, 255]}}",
                "{\"RandomInvert\": {\"factor\": 0.4}}", "{\"ZeroPadding2D\": {\"padding\": [1, 2]}}"};
        ObjectMapper json = new ObjectMapper();
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (String layer : layers) {
            var first = parse("[" + layer + "]", 1).layers().get(0);
            seen.add(first.className());
            String written = json.writeValueAsString(java.util.Map.of(first.className(), first.toConfig()));
            var again = parse("[" + written + "]", 1).layers().get(0);
            assertEquals(first.toConfig(), again.toConfig(), layer + " -> " + written);
            assertEquals(java.util.Arrays.toString(first.outputSize(8, 8)), java.util.Arrays.toString(again.outputSize(8, 8)));
        }
        assertEquals(new java.util.TreeSet<>(ImageAugmentation.REGISTRY.names()), seen,
                "every registered layer is covered");
        var flip = parse("[\"RandomFlip\"]", 1).layers().get(0).toConfig();
        assertEquals("{seed=null, mode=horizontal_and_vertical, data_format=channels_last}", flip.toString(),
                "Keras' get_config keys, order and defaults");
        var contrast = parse("[{\"RandomContrast\": {\"factor\": 0.3}}]", 255).layers().get(0).toConfig();
        assertEquals("{factor=[0.3, 0.3], value_range=[0.0, 255.0], seed=null}", contrast.toString());
    }

    /** A 4x4 image through the layers (square, so a quarter turn keeps the shape). */
    static float[] square(Augmentation a, float[] x) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 1)));
            var out = a.apply(tf, in, 4, 4, 7, tf.constant(1f));
            try (TFloat32 xt = TFloat32.tensorOf(Shape.of(1, 4, 4, 1), DataBuffers.of(x, true, false));
                 var r = s.runner().feed(in, xt).fetch(out).run()) {
                float[] v = new float[16];
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(v, false, false));
                return v;
            }
        }
    }

    @Test
    void rotationAndZoomUseKerasMatrices() throws Exception {
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i + 1;
        }
        // factor 0.25 both ends: exactly a quarter turn; Keras' matrix maps output (r, c) to input (c, 3 - r)
        float[] q = square(parse("[{\"RandomRotation\": {\"factor\": [0.25, 0.25], \"interpolation\": \"nearest\"}}]", 1), x);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(x[c * 4 + (3 - r)], q[r * 4 + c], "(" + r + ", " + c + ")");
            }
        }
        assertArrayEquals(x, square(parse("[{\"RandomZoom\": {\"height_factor\": 0}}]", 1), x), 1e-5f);
        // zooming in by half (factor -0.5): the output's corners come from the middle of the image
        float[] z = square(parse("[{\"RandomZoom\": {\"height_factor\": [-0.5, -0.5], \"interpolation\": \"nearest\"}}]",
                1), x);
        assertTrue(z[0] > x[0] && z[15] < x[15], java.util.Arrays.toString(z));
    }

    @Test
    void anAugmentationThatChangesTheSizeOrCropsTooMuchIsOneLine() throws Exception {
        assertEquals("augmentation turns 5x4 images into 9x8; it must end at the images' size, since it is skipped at "
                + "inference (pad, then crop back)", assertThrows(LosslabException.class,
                () -> run(parse("[{\"ZeroPadding2D\": {\"padding\": 2}}]", 1), images(), 1)).getMessage());
        assertEquals("augmentation[0]: unknown 'RandomShear'; supported: [RandomBrightness, RandomContrast, RandomCrop, "
                + "RandomFlip, RandomInvert, RandomRotation, RandomTranslation, RandomZoom, ZeroPadding2D]", assertThrows(LosslabException.class,
                () -> parse("[{\"RandomShear\": {}}]", 1)).getMessage());
        assertEquals("augmentation[0].RandomTranslation.height_factor: must be in [-1.0, 1.0], found 1.5",
                assertThrows(LosslabException.class, () -> parse("[{\"RandomTranslation\": {\"height_factor\": 1.5, "
                        + "\"width_factor\": 0}}]", 1)).getMessage());
    }
}
