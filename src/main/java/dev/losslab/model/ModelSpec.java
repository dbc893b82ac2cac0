package dev.losslab.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.losslab.LosslabException;
import dev.losslab.data.Images;
import java.util.Locale;

/**
 * The CNN as a value: what varies between the notebook's network and its Keras-default reading.
 * Travels in configs ({@code "model": {"padding": "same"}}), in {@code run.json} and in the bench.
 *
 * <p>The default is the network the notebook's report cites as its source, the COE 379L unit03 CNN
 * page (course repository {@code joestubbs/coe379l-fa25}, {@code docs/unit03/cnn.rst}): every
 * Conv2D and MaxPooling2D pads {@code "same"}, so the maps are 28 -> 14 -> 7 -> 4 and Flatten gives
 * 4 x 4 x 32 = 512. {@code valid} is Keras' default padding (maps 26, 13, 11, 5, 3, 1; Flatten 32),
 * the network losslab built before it read that source.
 *
 * @param padding padding of every convolution and max-pooling layer
 */
public record ModelSpec(Padding padding) {
    /** The notebook's network (its cited source): padding "same". */
    public static final ModelSpec NOTEBOOK = new ModelSpec(Padding.SAME);
    /** Keras' default padding ("valid"), losslab's network before the fidelity fix. */
    public static final ModelSpec VALID = new ModelSpec(Padding.VALID);

    public ModelSpec {
        padding = padding == null ? Padding.SAME : padding;
    }

    /**
     * Convolution and pooling padding, with TF's (and so Keras') rule: {@code VALID} uses only whole
     * windows; {@code SAME} gives ceil(n / stride) outputs, padding pad_total = max((ceil(n/s) - 1) s
     * + k - n, 0) cells, pad_total / 2 (rounded down) before and the rest after, and padded cells
     * never win a max.
     */
    public enum Padding {
        SAME, VALID;

        @JsonValue
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** TF's attribute value. */
        public String tfName() {
            return name();
        }

        @JsonCreator
        public static Padding parse(String s) {
            if (s != null) {
                for (Padding p : values()) {
                    if (p.configName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                        return p;
                    }
                }
            }
            throw new LosslabException("model.padding: unknown padding '" + s + "'; valid: same, valid");
        }

        /** Output size of a window of size {@code k} at {@code stride} over {@code n} cells. */
        public int outputSize(int n, int k, int stride) {
            return this == SAME ? (n + stride - 1) / stride : (n - k) / stride + 1;
        }

        /** Cells padded before the first window (TF's SAME rule; 0 for VALID). */
        public int padBefore(int n, int k, int stride) {
            if (this == VALID) {
                return 0;
            }
            int total = Math.max((outputSize(n, k, stride) - 1) * stride + k - n, 0);
            return total / 2;
        }
    }

    /** Side of the square feature map after the three conv + pool blocks on a 28 x 28 input. */
    public int finalSide() {
        int n = Images.SIDE;
        for (int block = 0; block < 3; block++) {
            n = padding.outputSize(n, 3, 1);
            n = padding.outputSize(n, 2, 2);
            if (n < 1) {
                throw new LosslabException("model: the input is too small for three conv + pool blocks");
            }
        }
        return n;
    }

    /** Values the Flatten layer hands to the dense layer: side x side x 32. */
    public int flatSize() {
        int side = finalSide();
        return side * side * CnnArchitecture.CONV3;
    }

    /** A short description, e.g. "padding same, flatten 512". */
    public String describe() {
        return "padding " + padding.configName() + ", flatten " + flatSize();
    }
}
