package dev.losslab.data;

import java.util.SplittableRandom;

/** Seeded Fisher-Yates shuffles of int arrays; the same seed always gives the same order. */
public final class Shuffle {
    private Shuffle() {
    }

    public static void inPlace(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** A random permutation of 0..n-1. */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        inPlace(p, random);
        return p;
    }
}
