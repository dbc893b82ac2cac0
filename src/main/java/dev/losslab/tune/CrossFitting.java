package dev.losslab.tune;

import dev.losslab.data.Shuffle;
import java.util.SplittableRandom;

/**
 * Honest selection among tuning methods: a method's score on the very validation set it was fitted to is
 * optimistic, the more so the more free parameters it has (relative thresholds fit one per class) and the fewer
 * images the rare classes hold. Cross-fitting scores a method as it will be used: split validation into stratified
 * folds, fit the method on all folds but one, predict the held-out fold, and score the objective once on the
 * out-of-fold predictions pooled over the folds (the estimate of Hastie, Tibshirani and Friedman, <i>The Elements
 * of Statistical Learning</i>, 2nd ed., section 7.10; the decision tree's own size is chosen this way too).
 *
 * <p>Folds are stratified: each class's images are shuffled with the seed and dealt round-robin, so a class of 12
 * images puts two or three in every one of five folds.
 */
public final class CrossFitting {
    private CrossFitting() {
    }

    /** Fold of each image, 0..folds-1, stratified by label and shuffled with {@code seed}. */
    static int[] stratifiedFolds(int[] labels, int k, int folds, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] fold = new int[labels.length];
        int next = 0; // continue the deal across classes so small classes do not all start at fold 0
        for (int c = 0; c < k; c++) {
            int count = 0;
            for (int label : labels) {
                count += label == c ? 1 : 0;
            }
            int[] members = new int[count];
            int at = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members[at++] = i;
                }
            }
            int[] order = Shuffle.permutation(count, random);
            for (int j = 0; j < count; j++) {
                fold[members[order[j]]] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }

    /**
     * The objective of {@code method} on out-of-fold predictions: fitted on the other folds for each fold.
     *
     * @param folds at least 2
     */
    public static double score(TuningMethod method, float[] p, int[] labels, int k, Tuner.Settings s, int folds, long seed) {
        int[] fold = stratifiedFolds(labels, k, folds, seed);
        int[] predicted = new int[labels.length];
        for (int f = 0; f < folds; f++) {
            int inFold = 0;
            for (int v : fold) {
                inFold += v == f ? 1 : 0;
            }
            int rest = labels.length - inFold;
            float[] trainP = new float[rest * k];
            int[] trainLabels = new int[rest];
            float[] heldP = new float[inFold * k];
            int[] heldAt = new int[inFold];
            int t = 0;
            int h = 0;
            for (int i = 0; i < labels.length; i++) {
                if (fold[i] == f) {
                    System.arraycopy(p, i * k, heldP, h * k, k);
                    heldAt[h++] = i;
                } else {
                    System.arraycopy(p, i * k, trainP, t * k, k);
                    trainLabels[t++] = labels[i];
                }
            }
            if (inFold == 0) {
                continue;
            }
            int[] pred = Tuner.fit(method, trainP, trainLabels, k, s).predict(heldP);
            for (int j = 0; j < inFold; j++) {
                predicted[heldAt[j]] = pred[j];
            }
        }
        return s.objective().score(predicted, labels, k);
    }
}
