package dev.losslab.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * A training loss built only from TF graph ops, so TensorFlow's graph autodiff differentiates it.
 * Generic over the number type (as tensorflow-framework's losses are) so the same code runs in
 * float32 for training and float64 for exact gradient checks.
 */
public interface Loss {

    /**
     * The loss's name.
     *
     * @return the name used in configs and on the command line
     */
    String name();

    /**
     * The scalar batch loss.
     *
     * @param <T>        float32 or float64
     * @param tf         the graph's ops
     * @param labels     one-hot labels {@code [B, K]}
     * @param logits     the network's pre-activation output: {@code [B, 1]} (sigmoid logit of class 1)
     *                   when {@code numClasses == 2}, {@code [B, K]} (softmax logits) otherwise
     * @param numClasses K
     * @return the scalar loss of the batch, differentiable by TensorFlow's autodiff
     */
    <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses);

    /**
     * The loss's deferred re-weighting (Cao et al. 2019), when it has one: the training graph then builds it on a
     * class-weights input it feeds from the deferral's epoch on.
     *
     * @return the deferred re-weighting, or null for a loss without one
     */
    default DeferredReweighting deferredReweighting() {
        return null;
    }
}
