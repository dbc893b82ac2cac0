package dev.losslab.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.losslab.LosslabException;

/**
 * How picture files become arrays, in Keras' {@code image_dataset_from_directory} terms: the colour
 * mode (channels), the target size (null: keep the files' own size, which must then be the same for
 * all), the interpolation, and whether to crop or pad to the target's aspect ratio first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecodeOptions(ColorMode colorMode, int[] imageSize, Interpolation interpolation,
                            boolean cropToAspectRatio, boolean padToAspectRatio) {
    public static final DecodeOptions GRAYSCALE_AS_IS = new DecodeOptions(ColorMode.GRAYSCALE, null, null, false, false);

    public DecodeOptions {
        colorMode = colorMode == null ? ColorMode.RGB : colorMode;
        interpolation = interpolation == null ? Interpolation.BILINEAR : interpolation;
        if (imageSize != null && (imageSize.length != 2 || imageSize[0] < 1 || imageSize[1] < 1
                || imageSize[0] > 16384 || imageSize[1] > 16384)) {
            throw new LosslabException("imageSize must be [height, width] with both in 1..16384, got "
                    + java.util.Arrays.toString(imageSize));
        }
        if (cropToAspectRatio && padToAspectRatio) {
            throw new LosslabException("give only one of cropToAspectRatio and padToAspectRatio");
        }
        if ((cropToAspectRatio || padToAspectRatio) && imageSize == null) {
            throw new LosslabException((cropToAspectRatio ? "cropToAspectRatio" : "padToAspectRatio") + " needs imageSize");
        }
    }

    public int channels() {
        return colorMode.channels();
    }

    /** A short description, e.g. "rgb, 32x32 bilinear". */
    public String describe() {
        return colorMode.configName() + (imageSize == null ? ", files' own size"
                : ", " + imageSize[0] + "x" + imageSize[1] + " " + interpolation.configName()
                + (cropToAspectRatio ? " (crop to aspect ratio)" : padToAspectRatio ? " (pad to aspect ratio)" : ""));
    }
}
