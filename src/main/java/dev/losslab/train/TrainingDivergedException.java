package dev.losslab.train;

import dev.losslab.LosslabException;

/** The loss became NaN or infinite; no model is written. */
public final class TrainingDivergedException extends LosslabException {
    public TrainingDivergedException(int epoch, int step, float loss) {
        super("training diverged: loss is " + loss + " at epoch " + epoch + ", step " + step
                + "; no model was written (try a lower learning rate or another loss)");
    }
}
