package dev.losslab.loss;

import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.types.TFloat32;

/**
 * A loss whose class weights switch on during training (Cao et al. 2019's deferred re-weighting,
 * DRW): its graph reads the weights from a placeholder that defaults to all ones, and the training
 * step feeds {@link #classWeights} from epoch {@link #reweightFromEpoch} on.
 */
public interface DeferredReweighting {
    /** The first epoch (1-based) trained with the class weights; 0: never. */
    int reweightFromEpoch();

    /** The weights fed from that epoch on, one per class. */
    double[] classWeights();

    /** The float32 weights placeholder of the first graph this loss was built into (the training graph). */
    PlaceholderWithDefault<TFloat32> trainingWeightsInput();
}
