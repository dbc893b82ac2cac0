package dev.losslab.train;

/**
 * What one epoch of training produced.
 *
 * @param valEce top-label ECE (15 bins) of the validation probabilities after the epoch (absent, 0, in
 *               runs made before it was recorded)
 * @param trainAccuracy share of training images classified right by the network as each batch met it
 *                      (Keras' running accuracy; absent, 0, in older runs)
 */
public record EpochRecord(int epoch, double trainLoss, double valLoss, double valAccuracy, double samplesPerSecond,
                          double seconds, double valEce, double trainAccuracy) {
    public EpochRecord(int epoch, double trainLoss, double valLoss, double valAccuracy, double samplesPerSecond,
                       double seconds) {
        this(epoch, trainLoss, valLoss, valAccuracy, samplesPerSecond, seconds, 0, 0);
    }
}
