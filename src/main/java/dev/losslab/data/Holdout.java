package dev.losslab.data;

import java.util.Arrays;
import java.util.List;

/** Splits a labelled set in two with a seeded stratified split ({@link StratifiedSplit}). */
final class Holdout {
    private Holdout() {
    }

    /** {@code [kept, held out]}. */
    static LabelledImages[] split(LabelledImages all, int numClasses, double fraction, long seed) {
        StratifiedSplit s = StratifiedSplit.of(all.labels(), numClasses, fraction, seed);
        return new LabelledImages[] {subset(all, s.train()), subset(all, s.holdout())};
    }

    /** The entries of {@code names} at the split's kept and held-out positions. */
    static List<List<String>> names(LabelledImages all, int numClasses, double fraction, long seed, List<String> names) {
        StratifiedSplit s = StratifiedSplit.of(all.labels(), numClasses, fraction, seed);
        List<String> kept = new java.util.ArrayList<>();
        List<String> held = new java.util.ArrayList<>();
        for (int i : s.train()) {
            kept.add(names.get(i));
        }
        for (int i : s.holdout()) {
            held.add(names.get(i));
        }
        return List.of(kept, held);
    }

    static LabelledImages subset(LabelledImages all, int[] idx) {
        int per = all.perImage();
        byte[] px = new byte[idx.length * per];
        int[] lb = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(all.pixels(), idx[i] * per, px, i * per, per);
            lb[i] = all.labels()[idx[i]];
        }
        return new LabelledImages(px, lb, all.height(), all.width(), all.channels());
    }

    static String describe(double fraction, long seed) {
        return "testSplit " + fraction + " of the training images, stratified, splitSeed " + seed;
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
