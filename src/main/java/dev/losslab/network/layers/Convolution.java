package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import java.util.List;
import java.util.Locale;

/**
 * The window of a convolution-like layer (Conv2D, DepthwiseConv2D, SeparableConv2D) as its config gives it:
 * kernel_size, strides, dilation_rate and padding, read once. Strides and dilation above 1 together are refused, as
 * Keras does.
 */
record Convolution(int[] kernel, int[] strides, int[] dilation, String padding) {

    static Convolution read(LayerSpec c, String where) {
        Convolution v = new Convolution(c.pair("kernel_size"), c.pair("strides"), c.pair("dilation_rate"), c.padding());
        if ((v.strides[0] > 1 || v.strides[1] > 1) && (v.dilation[0] > 1 || v.dilation[1] > 1)) {
            throw new LosslabException(where + ": strides > 1 with dilation_rate > 1 is not supported (as in Keras)");
        }
        return v;
    }

    /** The [H, W] this window gives on an image {@code x} (TF's VALID/SAME rules). */
    int[] sides(int[] x, String where) {
        return new int[] {KerasLayer.window(x[0], (kernel[0] - 1) * dilation[0] + 1, strides[0], padding, where),
                KerasLayer.window(x[1], (kernel[1] - 1) * dilation[1] + 1, strides[1], padding, where)};
    }

    boolean dilated() {
        return dilation[0] > 1 || dilation[1] > 1;
    }

    /** TF's strides attribute, [1, s_h, s_w, 1]. */
    List<Long> tfStrides() {
        return List.of(1L, (long) strides[0], (long) strides[1], 1L);
    }

    /** TF's padding attribute, VALID or SAME. */
    String tfPadding() {
        return padding.toUpperCase(Locale.ROOT);
    }
}
