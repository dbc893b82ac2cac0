package dev.losslab.data;

/**
 * A labelled set of images ready for the network: pixels scaled to [0,1], {@code N x H x W x C}
 * floats (channels last, row-major, one image after another). Labels are 0..K-1.
 */
public record Images(float[] pixels, int[] labels, int numClasses, int height, int width, int channels) {
    /** Fashion-MNIST's side. */
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;

    public Images {
        if (pixels.length != (long) labels.length * height * width * channels) {
            throw new IllegalArgumentException(pixels.length + " pixels for " + labels.length + " images of "
                    + height + "x" + width + "x" + channels);
        }
    }

    /** 28 x 28 x 1 images (Fashion-MNIST's shape). */
    public Images(float[] pixels, int[] labels, int numClasses) {
        this(pixels, labels, numClasses, SIDE, SIDE, 1);
    }

    public int size() {
        return labels.length;
    }

    /** Values per image: H x W x C. */
    public int perImage() {
        return height * width * channels;
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
        int per = perImage();
        float[] px = new float[idx.length * per];
        int[] lb = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(pixels, idx[i] * per, px, i * per, per);
            lb[i] = labels[idx[i]];
        }
        return new Images(px, lb, numClasses, height, width, channels);
    }
}
