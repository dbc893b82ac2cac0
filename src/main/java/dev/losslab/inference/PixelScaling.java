package dev.losslab.inference;

import dev.losslab.LosslabException;
import java.util.Locale;

/**
 * How pixel values (0..255 as stored in IDX, PNG/JPEG and uint8 {@code .npy}) are fed to a model:
 * {@code unit} divides by 255 (what losslab's models and most Keras MNIST-style models expect),
 * {@code raw} feeds 0..255 as floats (models with their own Rescaling layer).
 */
public enum PixelScaling {
    UNIT, RAW;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public float apply(float value) {
        return this == UNIT ? value / 255f : value;
    }

    public static PixelScaling parse(String s) {
        for (PixelScaling p : values()) {
            if (p.configName().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return p;
            }
        }
        throw new LosslabException("unknown pixel scaling '" + s + "'; valid: unit (divide by 255), raw (0..255)");
    }
}
