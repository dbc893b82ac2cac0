package dev.losslab.recipe;

import dev.losslab.util.KerasObject;

/**
 * Keras' AdamW (keras/src/optimizers/adamw.py): Adam with the decoupled weight decay required, 0.004 by default
 * (Loshchilov and Hutter 2019).
 */
public final class AdamW extends Adam {
    AdamW(KerasObject o) {
        super(o, 0.004);
    }

    private AdamW(AdamW from, double rate) {
        super(from, rate);
    }

    @Override
    public String kind() {
        return "AdamW";
    }

    @Override
    public Optimizer withConstantRate(double rate) {
        return new AdamW(this, rate);
    }
}
