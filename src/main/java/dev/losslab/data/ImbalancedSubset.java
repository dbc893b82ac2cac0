package dev.losslab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Picks a class subset of a labelled set and downsamples it to a given class balance, as the
 * notebook's "Data Preparation" section does.
 *
 * <p>Two ways to state the balance. A {@code distribution} (proportions summing to 1, e.g.
 * [0.9, 0.1]): the total is the largest that every class can supply, {@code N = min_k avail_k / d_k},
 * and class k keeps {@code round(N d_k)} images, so with equal class sizes the largest class keeps
 * all of its images and the others are downsampled. {@code keepFractions} (the notebook's 10-class
 * setting): class k keeps {@code round(avail_k f_k)} images. Which images are kept is a seeded
 * random choice per class.
 */
public final class ImbalancedSubset {
    private ImbalancedSubset() {
    }

    /** How many images each class keeps, given how many it has. Exactly one of the two specs is non-null. */
    public static int[] counts(int[] available, double[] distribution, double[] keepFractions) {
        int k = available.length;
        int[] counts = new int[k];
        if (distribution != null) {
            double total = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (distribution[c] > 0) {
                    total = Math.min(total, available[c] / distribution[c]);
                }
            }
            for (int c = 0; c < k; c++) {
                counts[c] = (int) Math.min(available[c], Math.round(total * distribution[c]));
            }
        } else {
            for (int c = 0; c < k; c++) {
                counts[c] = (int) Math.min(available[c], Math.round(available[c] * keepFractions[c]));
            }
        }
        return counts;
    }

    /**
     * Indices into {@code labels} of the kept images, in ascending order.
     *
     * @param classes source label ids to keep, in the order that defines the new labels 0..K-1
     */
    public static int[] select(byte[] labels, int[] classes, double[] distribution, double[] keepFractions, long seed) {
        int[] wide = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            wide[i] = labels[i] & 0xff;
        }
        return select(wide, classes, distribution, keepFractions, null, seed);
    }

    /**
     * As {@link #select(byte[], int[], double[], double[], long)} on int labels, with the long-tail
     * {@code imbalance} as a third way to state the balance; none of the three keeps every image of
     * {@code classes}.
     */
    public static int[] select(int[] labels, int[] classes, double[] distribution, double[] keepFractions,
                               Imbalance imbalance, long seed) {
        List<int[]> byClass = new ArrayList<>();
        int[] available = new int[classes.length];
        for (int c = 0; c < classes.length; c++) {
            int[] members = indicesOf(labels, classes[c]);
            byClass.add(members);
            available[c] = members.length;
        }
        int[] counts = imbalance != null ? imbalance.counts(available)
                : distribution == null && keepFractions == null ? available.clone()
                : counts(available, distribution, keepFractions);
        SplittableRandom random = new SplittableRandom(seed);
        int total = Arrays.stream(counts).sum();
        int[] kept = new int[total];
        int at = 0;
        for (int c = 0; c < classes.length; c++) {
            int[] members = byClass.get(c).clone();
            Shuffle.inPlace(members, random);
            System.arraycopy(members, 0, kept, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(kept);
        return kept;
    }

    static int[] indicesOf(int[] labels, int label) {
        int n = 0;
        for (int b : labels) {
            if (b == label) {
                n++;
            }
        }
        int[] idx = new int[n];
        int at = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == label) {
                idx[at++] = i;
            }
        }
        return idx;
    }

    /** Maps source label ids to 0..K-1 in the order of {@code classes}; other ids map to -1. */
    public static int[] labelMap(int[] classes) {
        int max = 255;
        for (int c : classes) {
            max = Math.max(max, c);
        }
        int[] map = new int[max + 1];
        Arrays.fill(map, -1);
        for (int c = 0; c < classes.length; c++) {
            map[classes[c]] = c;
        }
        return map;
    }
}
