package dev.losslab.train;

/** One-hot encoding of labels 0..K-1 into a row-major {@code [n, K]} array. */
public final class OneHot {
    private OneHot() {
    }

    public static float[] encode(int[] labels, int numClasses) {
        float[] out = new float[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            out[i * numClasses + labels[i]] = 1f;
        }
        return out;
    }
}
