package dev.losslab.train;

/** What one epoch of training produced. */
public record EpochRecord(int epoch, double trainLoss, double valLoss, double valAccuracy, double samplesPerSecond,
                          double seconds) {
}
