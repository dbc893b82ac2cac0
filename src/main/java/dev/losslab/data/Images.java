package dev.losslab.data;

/**
 * A labelled set of 28x28 single-channel images with pixels scaled to [0,1], row-major, one image
 * after another ({@code pixels.length == labels.length * 784}). Labels are 0..K-1.
 */
public record Images(float[] pixels, int[] labels, int numClasses) {
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;

    public Images {
        if (pixels.length != (long) labels.length * PIXELS) {
            throw new IllegalArgumentException(pixels.length + " pixels for " + labels.length + " images");
        }
    }

    public int size() {
        return labels.length;
    }

    /** Images {@code idx} of {@code source}, pixels scaled by 1/255, labels mapped by {@code labelMap}. */
    public static Images select(IdxImages source, byte[] sourceLabels, int[] idx, int[] labelMap, int numClasses) {
        int per = source.pixelsPerImage();
        if (per != PIXELS) {
            throw new IllegalArgumentException("images are " + source.rows() + "x" + source.cols() + ", expected 28x28");
        }
        float[] pixels = new float[idx.length * per];
        int[] labels = new int[idx.length];
        byte[] src = source.pixels();
        for (int i = 0; i < idx.length; i++) {
            int from = idx[i] * per;
            int to = i * per;
            for (int j = 0; j < per; j++) {
                pixels[to + j] = (src[from + j] & 0xff) / 255f;
            }
            labels[i] = labelMap[sourceLabels[idx[i]] & 0xff];
        }
        return new Images(pixels, labels, numClasses);
    }

    /** Per-class counts. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The images at {@code idx}, in that order. */
    public Images subset(int[] idx) {
        float[] px = new float[idx.length * PIXELS];
        int[] lb = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(pixels, idx[i] * PIXELS, px, i * PIXELS, PIXELS);
            lb[i] = labels[idx[i]];
        }
        return new Images(px, lb, numClasses);
    }
}
