package dev.losslab.data;

/**
 * Images from an IDX3 file (magic 2051): {@code count} images of {@code rows x cols} unsigned bytes,
 * stored row-major, one image after another.
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {
    public IdxImages {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException("pixel buffer holds " + pixels.length + " bytes, expected "
                    + (long) count * rows * cols);
        }
    }

    public int pixelsPerImage() {
        return rows * cols;
    }
}
