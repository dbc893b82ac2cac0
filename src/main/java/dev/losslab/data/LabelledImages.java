package dev.losslab.data;

import java.util.Arrays;

/**
 * A labelled set of 8-bit images as every data source hands it over: {@code N x H x W x C} unsigned
 * bytes (channels last, row-major, one image after another) and a label 0..K-1 per image, in the
 * source's order (IDX/npz/CIFAR: file order; folders: class folders sorted, files sorted).
 */
public record LabelledImages(byte[] pixels, int[] labels, int height, int width, int channels) {
    public LabelledImages {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("image shape " + height + "x" + width + "x" + channels);
        }
        if (pixels.length != (long) labels.length * height * width * channels) {
            throw new IllegalArgumentException(pixels.length + " bytes for " + labels.length + " images of "
                    + height + "x" + width + "x" + channels);
        }
    }

    public int size() {
        return labels.length;
    }

    public int perImage() {
        return height * width * channels;
    }

    /** Images per class, for {@code numClasses} classes. */
    public int[] classCounts(int numClasses) {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The shape as {@code [H, W, C]}. */
    public int[] shape() {
        return new int[] {height, width, channels};
    }

    /** The images at {@code idx} as floats scaled by 1/255, labels mapped by {@code labelMap}. */
    public Images select(int[] idx, int[] labelMap, int numClasses) {
        return select(idx, labelMap, numClasses, true);
    }

    /** As above; {@code unit} false keeps the 0..255 values (for networks that rescale their input themselves). */
    public Images select(int[] idx, int[] labelMap, int numClasses, boolean unit) {
        return select(idx, labelMap, numClasses, unit ? PixelScaling.UNIT
                : PixelScaling.RAW);
    }

    /** As above, the pixels scaled as {@code scaling} says (Keras' preprocess_input modes included). */
    public Images select(int[] idx, int[] labelMap, int numClasses, PixelScaling scaling) {
        int per = perImage();
        float[] out = new float[idx.length * per];
        int[] lb = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            int from = idx[i] * per;
            int to = i * per;
            for (int j = 0; j < per; j++) {
                out[to + j] = pixels[from + j] & 0xff;
            }
            lb[i] = labelMap[labels[idx[i]]];
        }
        scaling.apply(out, channels);
        return new Images(out, lb, numClasses, height, width, channels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelledImages l && height == l.height && width == l.width && channels == l.channels
                && Arrays.equals(pixels, l.pixels) && Arrays.equals(labels, l.labels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(labels) * 31 + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return size() + " images of " + height + "x" + width + "x" + channels;
    }
}
