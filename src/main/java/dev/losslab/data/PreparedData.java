package dev.losslab.data;

import java.util.SplittableRandom;

/**
 * The three sets one run uses: training, validation (for early diagnostics and threshold tuning)
 * and test, all drawn from Fashion-MNIST by a {@link DataSpec} and a seed.
 */
public record PreparedData(Images train, Images validation, Images test) {

    /**
     * Subset and imbalance on both the training and the test files (the same resampling), then a
     * stratified split of the training subset. Seeds for the three random choices derive from
     * {@code seed}, so the same seed gives the same sets.
     */
    public static PreparedData prepare(FashionMnist data, DataSpec spec, long seed) {
        spec.validate();
        SplittableRandom seeds = new SplittableRandom(seed);
        long trainSeed = seeds.nextLong();
        long testSeed = seeds.nextLong();
        long splitSeed = seeds.nextLong();
        int[] labelMap = ImbalancedSubset.labelMap(spec.classes());
        int k = spec.numClasses();

        int[] trainIdx = ImbalancedSubset.select(data.trainLabels(), spec.classes(), spec.distribution(),
                spec.keepFractions(), trainSeed);
        Images subset = Images.select(data.trainImages(), data.trainLabels(), trainIdx, labelMap, k);
        StratifiedSplit split = StratifiedSplit.of(subset.labels(), k, spec.validationFraction(), splitSeed);

        int[] testIdx = ImbalancedSubset.select(data.testLabels(), spec.classes(), spec.distribution(),
                spec.keepFractions(), testSeed);
        Images test = Images.select(data.testImages(), data.testLabels(), testIdx, labelMap, k);
        return new PreparedData(subset.subset(split.train()), subset.subset(split.holdout()), test);
    }
}
