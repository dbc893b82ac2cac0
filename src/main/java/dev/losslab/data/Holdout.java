package dev.losslab.data;

import java.util.List;

/** Splits a labelled set in two with a seeded stratified split ({@link StratifiedSplit}). */
final class Holdout {
    private Holdout() {
    }

    /** {@code [kept, held out]}. */
    static LabelledImages[] split(LabelledImages all, int numClasses, double fraction, long seed) {
        StratifiedSplit s = indices(all, numClasses, fraction, seed);
        return new LabelledImages[] {subset(all, s.train()), subset(all, s.holdout())};
    }

    /** Which images are kept and which held out. */
    static StratifiedSplit indices(LabelledImages all, int numClasses, double fraction, long seed) {
        return StratifiedSplit.of(all.labels(), numClasses, fraction, seed);
    }

    /** The entries of {@code names} at {@code idx}. */
    static List<String> pick(List<String> names, int[] idx) {
        List<String> out = new java.util.ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(names.get(i));
        }
        return out;
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
}
