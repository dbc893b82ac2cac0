package dev.losslab.train;

import dev.losslab.recipe.Recipe;

/**
 * How to train: Keras' defaults for the notebook's model (Adam lr 1e-3, beta1 0.9, beta2 0.999,
 * eps 1e-7, batch 32, shuffled every epoch) unless {@code recipe} says otherwise.
 *
 * @param learningRate the rate of the default Adam (the config's {@code learningRate} shorthand)
 * @param threads TF intra-op threads; 0 lets TF choose
 * @param interOpThreads TF inter-op threads; 0 lets TF choose
 * @param xla compile the graph with XLA's JIT (global_jit_level ON_1)
 * @param precision fp32, or bf16 mixed precision ({@link Precision})
 * @param recipe the optimizer (and its rate or schedule), callbacks and sampler; null: Adam at {@code learningRate}
 */
public record TrainingOptions(int epochs, int batchSize, double learningRate, long seed, Device device, int threads,
                              int interOpThreads, boolean xla, Precision precision, Recipe recipe) {

    public TrainingOptions {
        precision = precision == null ? Precision.FP32 : precision;
        recipe = recipe == null ? Recipe.adam(learningRate) : recipe;
    }

    public TrainingOptions(int epochs, int batchSize, double learningRate, long seed, Device device, int threads) {
        this(epochs, batchSize, learningRate, seed, device, threads, 0, false, Precision.FP32, null);
    }

    public TrainingOptions(int epochs, int batchSize, double learningRate, long seed, Device device, int threads,
                           int interOpThreads, boolean xla) {
        this(epochs, batchSize, learningRate, seed, device, threads, interOpThreads, xla, Precision.FP32, null);
    }

    public TrainingOptions(int epochs, int batchSize, double learningRate, long seed, Device device, int threads,
                           int interOpThreads, boolean xla, Precision precision) {
        this(epochs, batchSize, learningRate, seed, device, threads, interOpThreads, xla, precision, null);
    }

    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-7;
}
