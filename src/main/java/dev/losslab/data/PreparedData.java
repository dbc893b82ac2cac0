package dev.losslab.data;

import java.util.SplittableRandom;

/**
 * The three sets one run uses: training, validation (for early diagnostics and threshold tuning)
 * and test, drawn from a source by a {@link DataSpec} and a seed.
 */
public record PreparedData(Images train, Images validation, Images test) {

    /** Fashion-MNIST, as {@link #prepare(SourceData, DataSpec, long)}. */
    public static PreparedData prepare(FashionMnist data, DataSpec spec, long seed) {
        spec.validate();
        return prepare(data.toSourceData(), spec, seed);
    }

    /**
     * Subset and balance on both the training and the test set (the same resampling; the long-tail
     * {@code imbalance} leaves the test set whole, as the field does), then a stratified split of the
     * training subset. Seeds for the three random choices derive from {@code seed}, so the same seed
     * gives the same sets.
     */
    public static PreparedData prepare(SourceData data, DataSpec spec, long seed) {
        return prepare(data, spec, seed, true);
    }

    /** As above; {@code unitPixels} false keeps pixels on 0..255 (a network whose first layer is Rescaling). */
    public static PreparedData prepare(SourceData data, DataSpec spec, long seed, boolean unitPixels) {
        return prepare(data, spec, seed, unitPixels ? PixelScaling.UNIT
                : PixelScaling.RAW);
    }

    /** As above, pixels scaled as {@code pixels} says (unit, raw, or one of Keras' preprocess_input modes). */
    public static PreparedData prepare(SourceData data, DataSpec spec, long seed, PixelScaling pixels) {
        spec.validate(data.numClasses(), "class ids of the source");
        SplittableRandom seeds = new SplittableRandom(seed);
        long trainSeed = seeds.nextLong();
        long testSeed = seeds.nextLong();
        long splitSeed = seeds.nextLong();
        int[] labelMap = ImbalancedSubset.labelMap(spec.classes());
        int k = spec.numClasses();

        int[] trainIdx = ImbalancedSubset.select(data.train().labels(), spec.classes(), spec.distribution(),
                spec.keepFractions(), spec.imbalance(), trainSeed);
        Images subset = data.train().select(trainIdx, labelMap, k, pixels);
        if (data.validation() != null) {
            // an explicit validation set replaces the held-out share: every image of the run's classes, as given
            int[] valIdx = ImbalancedSubset.select(data.validation().labels(), spec.classes(), null, null, null, splitSeed);
            Images validation = data.validation().select(valIdx, labelMap, k, pixels);
            int[] testIdx = ImbalancedSubset.select(data.test().labels(), spec.classes(), spec.distribution(),
                    spec.keepFractions(), null, testSeed);
            return new PreparedData(subset, validation, data.test().select(testIdx, labelMap, k, pixels));
        }
        StratifiedSplit split = StratifiedSplit.of(subset.labels(), k, spec.validationFraction(), splitSeed);

        int[] testIdx = ImbalancedSubset.select(data.test().labels(), spec.classes(), spec.distribution(),
                spec.keepFractions(), null, testSeed);
        Images test = data.test().select(testIdx, labelMap, k, pixels);
        return new PreparedData(subset.subset(split.train()), subset.subset(split.holdout()), test);
    }
}
