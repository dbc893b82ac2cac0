package dev.losslab.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Logit-adjusted cross-entropy (Menon et al. 2021, "Long-tail learning via logit adjustment", ICLR,
 * eq. 11): cross-entropy of softmax(z + tau log pi), pi the class priors (the training split's class
 * shares by default), tau = 1 by default, where it equals Ren et al. 2020's balanced softmax. At
 * test time the plain logits z are used, which the adjustment has trained to favour rare classes.
 * K = 2 (one sigmoid logit z for class 1): the same with the two-class softmax, i.e. the logit
 * z + tau (log pi_1 - log pi_0). Without priors (a loss made without data) pi is uniform and this
 * is plain cross-entropy.
 */
public final class LogitAdjustedCrossEntropyLoss implements Loss {
    public static final String NAME = "logit_adjusted_crossentropy";
    private final double[] priors;
    private final double tau;

    public LogitAdjustedCrossEntropyLoss(double[] priors, double tau) {
        this.priors = priors;
        this.tau = tau;
    }

    /** The configured priors, else the counts' shares, else null (uniform). */
    static double[] priors(double[] configured, int[] counts) {
        if (configured != null) {
            return configured;
        }
        return ClassFrequencies.shares(counts);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public <T extends TNumber> Operand<T> compute(Ops tf, Operand<T> labels, Operand<T> logits, int numClasses) {
        Ops s = tf.withSubScope(NAME);
        Operand<T> adjusted = logits;
        if (priors != null) {
            if (numClasses == 2) {
                adjusted = s.math.add(logits, LossOps.scalar(s, tau * (Math.log(priors[1]) - Math.log(priors[0])), logits));
            } else {
                double[] shift = new double[priors.length];
                for (int c = 0; c < shift.length; c++) {
                    shift[c] = tau * Math.log(priors[c]);
                }
                adjusted = s.math.add(logits, LossOps.vector(s, shift, logits));
            }
        }
        return new CrossEntropyLoss().compute(s, labels, adjusted, numClasses);
    }
}
