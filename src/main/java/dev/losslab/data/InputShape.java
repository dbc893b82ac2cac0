package dev.losslab.data;

import dev.losslab.LosslabException;

/**
 * The images a network takes: height x width x channels (channels last). Fashion-MNIST's is 28 x 28 x 1.
 */
public record InputShape(int height, int width, int channels) {
    public static final InputShape FASHION_MNIST = new InputShape(28, 28, 1);

    public InputShape {
        if (height < 1 || width < 1 || channels < 1) {
            throw new LosslabException("input shape " + height + "x" + width + "x" + channels + " is empty");
        }
    }

    public int perImage() {
        return height * width * channels;
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
