package dev.losslab.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.losslab.LosslabException;
import java.util.Locale;

/**
 * Keras' resize {@code interpolation} as {@code tf.image.resize} (v2) runs it: bilinear and nearest
 * with half-pixel centres and no antialiasing, area as TF's {@code ResizeArea}.
 */
public enum Interpolation {
    BILINEAR, NEAREST, AREA;

    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Interpolation parse(String s) {
        for (Interpolation i : values()) {
            if (i.configName().equals(s == null ? "" : s.trim().toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        throw new LosslabException("interpolation: unknown '" + s + "'; valid: bilinear, nearest, area");
    }
}
