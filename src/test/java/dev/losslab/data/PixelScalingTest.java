package dev.losslab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import org.junit.jupiter.api.Test;

/** Keras' preprocess_input modes (keras/src/applications/imagenet_utils.py) on two RGB pixels, by hand. */
class PixelScalingTest {
    private static final float[] PIXELS = {0, 128, 255, 10, 20, 30};

    private static float[] scaled(PixelScaling p) {
        float[] x = PIXELS.clone();
        p.apply(x, 3);
        return x;
    }

    @Test
    void everyModeAsKerasWritesIt() {
        float[] unit = scaled(PixelScaling.UNIT);
        float[] tf = scaled(PixelScaling.TF);
        float[] torch = scaled(PixelScaling.TORCH);
        float[] caffe = scaled(PixelScaling.CAFFE);
        double[] mean = {0.485, 0.456, 0.406};
        double[] std = {0.229, 0.224, 0.225};
        double[] bgrMean = {103.939, 116.779, 123.68};
        for (int i = 0; i < PIXELS.length; i++) {
            assertEquals(PIXELS[i] / 255.0, unit[i], 1e-7);
            assertEquals(PIXELS[i] / 127.5 - 1, tf[i], 1e-6);
            assertEquals((PIXELS[i] / 255.0 - mean[i % 3]) / std[i % 3], torch[i], 1e-5);
            // caffe: channels reversed (x[..., ::-1]), then the BGR means subtracted
            int rgb = i - i % 3 + (2 - i % 3);
            assertEquals(PIXELS[rgb] - bgrMean[i % 3], caffe[i], 1e-4);
        }
        float[] raw = scaled(PixelScaling.RAW);
        assertEquals(PIXELS[1], raw[1]);
    }

    @Test
    void rgbModesOnGreyImagesAndUnknownNamesAreOneLine() {
        var e = assertThrows(LosslabException.class, () -> PixelScaling.CAFFE.apply(new float[4], 1));
        assertTrue(e.getMessage().contains("needs RGB images; these have 1 channel"), e.getMessage());
        e = assertThrows(LosslabException.class, () -> PixelScaling.parse("imagenet"));
        assertTrue(e.getMessage().startsWith("unknown pixel scaling 'imagenet'; valid: unit"), e.getMessage());
        assertEquals(PixelScaling.TORCH, PixelScaling.parse(" Torch "));
    }
}
