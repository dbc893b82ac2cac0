package dev.losslab.data;

import dev.losslab.LosslabException;
import java.util.Locale;

/**
 * How pixel values (0..255 as stored in IDX, PNG/JPEG and uint8 {@code .npy}) are fed to a model: {@code unit}
 * divides by 255 (losslab's own networks, most MNIST-style Keras models), {@code raw} feeds 0..255 as floats (models
 * with their own Rescaling layer, and Keras' loaders' output), and Keras' three {@code preprocess_input} modes
 * (keras-team/keras {@code applications/imagenet_utils.py}): {@code tf} x / 127.5 - 1; {@code torch} x / 255 then
 * (x - mean) / std per RGB channel with ImageNet's mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225);
 * {@code caffe} RGB to BGR then minus ImageNet's BGR means (103.939, 116.779, 123.68). torch and caffe need RGB.
 */
public enum PixelScaling {
    UNIT, RAW, TF, TORCH, CAFFE;

    private static final float[] TORCH_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] TORCH_STD = {0.229f, 0.224f, 0.225f};
    private static final float[] CAFFE_MEAN_BGR = {103.939f, 116.779f, 123.68f};

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Scales {@code x} (images [N, H, W, C], values 0..255) in place. */
    public void apply(float[] x, int channels) {
        check(channels);
        switch (this) {
            case RAW -> { }
            case UNIT -> {
                for (int i = 0; i < x.length; i++) {
                    x[i] = x[i] / 255f;
                }
            }
            case TF -> {
                for (int i = 0; i < x.length; i++) {
                    x[i] = x[i] / 127.5f - 1f;
                }
            }
            case TORCH -> {
                for (int i = 0; i < x.length; i++) {
                    int c = i % 3;
                    x[i] = (x[i] / 255f - TORCH_MEAN[c]) / TORCH_STD[c];
                }
            }
            case CAFFE -> {
                for (int i = 0; i < x.length; i += 3) {
                    float r = x[i];
                    x[i] = x[i + 2] - CAFFE_MEAN_BGR[0];
                    x[i + 1] = x[i + 1] - CAFFE_MEAN_BGR[1];
                    x[i + 2] = r - CAFFE_MEAN_BGR[2];
                }
            }
            default -> throw new IllegalStateException(name());
        }
    }

    /** A one-line error when the mode needs three (RGB) channels and the images have {@code channels}. */
    public void check(int channels) {
        if ((this == TORCH || this == CAFFE) && channels != 3) {
            throw new LosslabException("pixels " + configName() + " (Keras' preprocess_input) needs RGB images; these have "
                    + channels + " channel" + (channels == 1 ? "" : "s") + " (use unit, raw or tf)");
        }
    }

    public static PixelScaling parse(String s) {
        for (PixelScaling p : values()) {
            if (p.configName().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return p;
            }
        }
        throw new LosslabException("unknown pixel scaling '" + s + "'; valid: unit (x / 255), raw (0..255), tf (x / 127.5 - 1), "
                + "torch (ImageNet mean/std), caffe (BGR, ImageNet means)");
    }
}
