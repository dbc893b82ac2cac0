package dev.losslab.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded stratified split (as scikit-learn's {@code train_test_split(..., stratify=y)} used by the
 * notebook): each class sends {@code round(n_k * fraction)} of its members to the held-out part.
 *
 * @param train indices kept for training, ascending
 * @param holdout indices held out (validation), ascending
 */
public record StratifiedSplit(int[] train, int[] holdout) {

    public static StratifiedSplit of(int[] labels, int numClasses, double holdoutFraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] held = new int[labels.length];
        int[] kept = new int[labels.length];
        int nHeld = 0;
        int nKept = 0;
        for (int c = 0; c < numClasses; c++) {
            int count = 0;
            for (int label : labels) {
                if (label == c) {
                    count++;
                }
            }
            int[] members = new int[count];
            int at = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members[at++] = i;
                }
            }
            Shuffle.inPlace(members, random);
            int h = (int) Math.round(count * holdoutFraction);
            System.arraycopy(members, 0, held, nHeld, h);
            nHeld += h;
            System.arraycopy(members, h, kept, nKept, count - h);
            nKept += count - h;
        }
        int[] train = Arrays.copyOf(kept, nKept);
        int[] holdout = Arrays.copyOf(held, nHeld);
        Arrays.sort(train);
        Arrays.sort(holdout);
        return new StratifiedSplit(train, holdout);
    }
}
