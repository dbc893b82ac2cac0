package dev.losslab.train;

/**
 * What one epoch of training produced.
 *
 * @param valEce top-label ECE (15 bins) of the validation probabilities after the epoch (absent, 0, in
 *               runs made before it was recorded)
 * @param trainAccuracy share of training images classified right by the network as each batch met it
 *                      (Keras' running accuracy; absent, 0, in older runs)
 * @param learningRate the optimizer's rate at the epoch's end, as Keras logs it (absent, 0, in older runs)
 * @param valBalancedAccuracy validation balanced accuracy under argmax (what EarlyStopping may monitor)
 * @param valMacroF1 validation macro-F1 under argmax (binary: F1 of class 1)
 * @param valAuc validation AUC (one-vs-rest macro for K > 2)
 */
public record EpochRecord(int epoch, double trainLoss, double valLoss, double valAccuracy, double samplesPerSecond,
                          double seconds, double valEce, double trainAccuracy, double learningRate,
                          double valBalancedAccuracy, double valMacroF1, double valAuc) {
    public EpochRecord(int epoch, double trainLoss, double valLoss, double valAccuracy, double samplesPerSecond,
                       double seconds) {
        this(epoch, trainLoss, valLoss, valAccuracy, samplesPerSecond, seconds, 0, 0, 0, 0, 0, 0);
    }

    /** The epoch's logs under Keras' names (and losslab's validation metrics), as callbacks see them. */
    public java.util.Map<String, Double> logs() {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("loss", trainLoss);
        m.put("accuracy", trainAccuracy);
        m.put("val_loss", valLoss);
        m.put("val_accuracy", valAccuracy);
        m.put("val_balanced_accuracy", valBalancedAccuracy);
        m.put("val_macro_f1", valMacroF1);
        m.put("val_auc", valAuc);
        m.put("val_ece", valEce);
        m.put("learning_rate", learningRate);
        return m;
    }
}
