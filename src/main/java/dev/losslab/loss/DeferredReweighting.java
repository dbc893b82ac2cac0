package dev.losslab.loss;

import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.types.TFloat32;

/**
 * A loss whose class weights switch on during training (Cao et al. 2019's deferred re-weighting, DRW): the
 * training graph builds it with {@link #computeWeighted} on a weights input of its own that defaults to all ones,
 * and feeds {@link #classWeights} from epoch {@link #reweightFromEpoch} on; everywhere else (validation loss) the
 * plain {@link Loss#compute} is the weights-one loss. The loss holds no graph state.
 */
public interface DeferredReweighting extends Loss {
    /** The first epoch (1-based) trained with the class weights; 0: never. */
    int reweightFromEpoch();

    /** The weights fed from that epoch on, one per class. */
    double[] classWeights();

    /**
     * The batch loss with per-class weights {@code [K]} read from {@code classWeights} (all ones gives
     * {@link Loss#compute}).
     */
    <T extends org.tensorflow.types.family.TNumber> org.tensorflow.Operand<T> computeWeighted(org.tensorflow.op.Ops tf,
            org.tensorflow.Operand<T> labels, org.tensorflow.Operand<T> logits, int numClasses,
            org.tensorflow.Operand<T> classWeights);
}
