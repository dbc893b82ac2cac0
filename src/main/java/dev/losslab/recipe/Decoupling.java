package dev.losslab.recipe;

import dev.losslab.LosslabException;
import java.util.List;

/**
 * A decoupling stage after training (Kang et al. 2020, ICLR, "Decoupling representation and classifier for
 * long-tailed recognition"): the network's features are kept and only its classifier (the last layer, a Dense) is
 * re-balanced.
 * <ul>
 * <li>{@code crt}, classifier re-training (sec. 4): every layer but the classifier frozen (BatchNormalization on its
 *     moving statistics), the classifier re-initialised from the run's seed and trained {@code epochs} more epochs
 *     with class-balanced sampling, a fresh optimizer of the run's kind at the constant {@code learningRate}, the
 *     run's augmentation; epochs are numbered on, as in a fine-tuning phase.</li>
 * <li>{@code tau_norm}, tau-normalisation (sec. 4): the classifier's class weight vectors divided by their norm to
 *     the power tau (losslab's TauNormalisation), tau chosen on validation by the run's objective from
 *     0, 0.05, ..., 2; the SavedModel carries the normalised classifier, so both its signatures serve it.</li>
 * </ul>
 * In a sweep the stage is a method label's suffix: {@code crossentropy+crt}, {@code crossentropy+tau_norm}.
 *
 * @param method       {@code crt} or {@code tau_norm}
 * @param epochs       cRT's epochs (default 5)
 * @param learningRate cRT's constant rate (default 0.01)
 */
public record Decoupling(String method, Integer epochs, Double learningRate) {
    public static final String CRT = "crt";
    public static final String TAU_NORM = "tau_norm";
    static final List<String> METHODS = List.of(CRT, TAU_NORM);

    public Decoupling {
        if (method == null || !METHODS.contains(method)) {
            throw new LosslabException("decoupling.method: '" + method + "' is not one of " + METHODS);
        }
        if (method.equals(CRT)) {
            epochs = epochs == null ? 5 : epochs;
            learningRate = learningRate == null ? 0.01 : learningRate;
            if (epochs < 1 || epochs > 10_000) {
                throw new LosslabException("decoupling.epochs: at least 1, got " + epochs);
            }
            if (!(learningRate > 0 && learningRate < 10)) {
                throw new LosslabException("decoupling.learningRate must be in (0, 10), got " + learningRate);
            }
        } else if (epochs != null || learningRate != null) {
            throw new LosslabException("decoupling: tau_norm takes no epochs or learningRate (tau is chosen on validation)");
        }
    }

    /** True when a method label's suffix ({@code crt} in {@code crossentropy+crt}) names a decoupling stage. */
    public static boolean isLabel(String suffix) {
        return METHODS.contains(suffix);
    }

    /** The stage a label suffix names, with its settings from {@code given} (a sweep's) when they are for it. */
    public static Decoupling fromLabel(String suffix, Decoupling given) {
        return given != null && given.method().equals(suffix) ? given : new Decoupling(suffix, null, null);
    }
}
