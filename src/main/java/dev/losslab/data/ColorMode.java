package dev.losslab.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.losslab.LosslabException;
import java.util.Locale;

/** Keras' {@code color_mode}: how many channels decoded images have (grayscale 1, rgb 3, rgba 4). */
public enum ColorMode {
    GRAYSCALE(1), RGB(3), RGBA(4);

    private final int channels;

    ColorMode(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }

    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ColorMode parse(String s) {
        for (ColorMode m : values()) {
            if (m.configName().equals(s == null ? "" : s.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new LosslabException("colorMode: unknown '" + s + "'; valid: grayscale, rgb, rgba");
    }

    /** The mode with {@code channels} channels. */
    public static ColorMode ofChannels(int channels) {
        for (ColorMode m : values()) {
            if (m.channels == channels) {
                return m;
            }
        }
        throw new LosslabException("images with " + channels + " channels: need 1 (grayscale), 3 (rgb) or 4 (rgba)");
    }
}
