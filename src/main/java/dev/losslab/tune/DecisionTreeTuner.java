package dev.losslab.tune;

import dev.losslab.metrics.Objective;
import dev.losslab.LosslabException;
import dev.losslab.data.Shuffle;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import smile.base.cart.DecisionNode;
import smile.base.cart.InternalNode;
import smile.base.cart.Node;
import smile.base.cart.OrdinalNode;
import smile.base.cart.SplitRule;
import smile.classification.DecisionTree;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.IntVector;

/**
 * Fits {@link TreeRule}s with Smile's CART (Gini; smile-core 2.6.0, LGPL-3.0: the rules it fits are the ones
 * 4.4.2 fitted, pinned by {@code TreeFixturesTest}). Unless the size is given, it is chosen by 5-fold
 * cross-validation on the validation set among depths {2, 3, 4, 6, 8} x minimum leaf sizes {5, 20}
 * (maxNodes = 2^depth): the grid spans a few decision steps per class, as the notebook describes
 * its tree, up to trees that can carve the probability simplex finely; CV keeps the tree from
 * memorising the validation set it is fitted on. Ties prefer the shallower tree, then larger leaves.
 */
public final class DecisionTreeTuner {
    /** Fixed tree size, or null fields for cross-validation. */
    public record Options(Integer maxDepth, Integer maxNodes, Integer nodeSize, long seed,
                          Objective objective) {
        public Options {
            objective = objective == null ? Objective.ACCURACY : objective;
        }

        public Options(Integer maxDepth, Integer maxNodes, Integer nodeSize, long seed) {
            this(maxDepth, maxNodes, nodeSize, seed, null);
        }

        public Options withObjective(Objective o) {
            return new Options(maxDepth, maxNodes, nodeSize, seed, o);
        }

        public static Options crossValidated(long seed) {
            return new Options(null, null, null, seed);
        }
    }

    static final int[] DEPTHS = {2, 3, 4, 6, 8};
    static final int[] NODE_SIZES = {20, 5};
    static final int FOLDS = 5;

    private DecisionTreeTuner() {
    }

    public static TreeRule fit(float[] p, int[] labels, int k, Options o) {
        if (labels.length < 2) {
            throw new LosslabException("tree tuning needs at least 2 validation samples");
        }
        if (o.maxDepth() != null && o.maxDepth() < MIN_DEPTH || o.maxNodes() != null && o.maxNodes() < 2
                || o.nodeSize() != null && o.nodeSize() < 1) {
            throw new LosslabException("tree size: maxDepth must be >= " + MIN_DEPTH + ", maxNodes >= 2 and nodeSize >= 1 (got "
                    + o.maxDepth() + ", " + o.maxNodes() + ", " + o.nodeSize() + ")");
        }
        int depth;
        int nodeSize;
        if (o.maxDepth() != null) {
            depth = o.maxDepth();
            nodeSize = o.nodeSize() != null ? o.nodeSize() : 5;
        } else {
            int[] best = crossValidate(p, labels, k, o.seed(), o.objective());
            depth = best[0];
            nodeSize = best[1];
        }
        int maxNodes = o.maxNodes() != null ? o.maxNodes() : depth < 31 ? 1 << depth : Integer.MAX_VALUE;
        return fitOnce(p, labels, k, depth, maxNodes, nodeSize);
    }

    private static int[] crossValidate(float[] p, int[] labels, int k, long seed, Objective objective) {
        int n = labels.length;
        int[] order = Shuffle.permutation(n, new SplittableRandom(seed));
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[order[i]] = i % FOLDS;
        }
        double bestAcc = -1;
        int[] best = {DEPTHS[0], NODE_SIZES[0]};
        for (int depth : DEPTHS) {
            for (int nodeSize : NODE_SIZES) {
                int hits = 0;
                long[][] pooled = new long[k][k];
                for (int f = 0; f < Math.min(FOLDS, n); f++) {
                    Subset train = subset(p, labels, k, fold, f, false);
                    Subset test = subset(p, labels, k, fold, f, true);
                    if (train.labels.length == 0 || test.labels.length == 0) {
                        continue;
                    }
                    TreeRule rule = fitOnce(train.p, train.labels, k, depth, 1 << depth, nodeSize);
                    int[] pred = rule.predict(test.p);
                    for (int i = 0; i < pred.length; i++) {
                        hits += pred[i] == test.labels[i] ? 1 : 0;
                        pooled[test.labels[i]][pred[i]]++;
                    }
                }
                // the objective on the out-of-fold predictions pooled over the folds
                double acc = objective.isAccuracy() ? (double) hits / n : objective.score(pooled);
                if (acc > bestAcc + 1e-12) {
                    bestAcc = acc;
                    best = new int[] {depth, nodeSize};
                }
            }
        }
        return best;
    }

    private record Subset(float[] p, int[] labels) {
    }

    private static Subset subset(float[] p, int[] labels, int k, int[] fold, int f, boolean inFold) {
        int m = 0;
        for (int v : fold) {
            m += (v == f) == inFold ? 1 : 0;
        }
        float[] sp = new float[m * k];
        int[] sl = new int[m];
        int at = 0;
        for (int i = 0; i < labels.length; i++) {
            if ((fold[i] == f) == inFold) {
                System.arraycopy(p, i * k, sp, at * k, k);
                sl[at++] = labels[i];
            }
        }
        return new Subset(sp, sl);
    }

    /**
     * The smallest depth: smile-core 4.4.2 refused depth 1 and 2.6.0 fits it, so losslab refuses it itself and the
     * two versions accept the same sizes.
     */
    static final int MIN_DEPTH = 2;

    static TreeRule fitOnce(float[] p, int[] labels, int k, int maxDepth, int maxNodes, int nodeSize) {
        if (maxDepth < MIN_DEPTH) {
            throw new IllegalArgumentException("tree depth " + maxDepth + " < " + MIN_DEPTH);
        }
        int n = labels.length;
        if (java.util.Arrays.stream(labels).distinct().count() == 1) {
            // Smile refuses a single class; the tree that fits it is one leaf
            return new TreeRule(k, maxDepth, maxNodes, nodeSize, List.of(TreeRule.Node.leaf(labels[0])));
        }
        double[][] x = new double[n][k];
        String[] names = new String[k];
        for (int c = 0; c < k; c++) {
            names[c] = "p" + c;
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                x[i][c] = p[i * k + c];
            }
        }
        DataFrame df = DataFrame.of(x, names).merge(IntVector.of("y", labels));
        DecisionTree tree = DecisionTree.fit(Formula.lhs("y"), df, SplitRule.GINI, maxDepth, maxNodes, nodeSize);
        List<TreeRule.Node> nodes = new ArrayList<>();
        // Smile numbers a leaf's class by its rank among the distinct labels (its ClassLabels): map back
        flatten(tree.root(), java.util.Arrays.stream(labels).distinct().sorted().toArray(), nodes);
        TreeRule rule = new TreeRule(k, maxDepth, maxNodes, nodeSize, List.copyOf(nodes));
        // Our plain form must agree with Smile's own predictions, or a Smile upgrade changed the tree's meaning.
        int[] ours = rule.predict(p);
        for (int i = 0; i < n; i++) {
            int smile = tree.predict(df.get(i));
            if (smile != ours[i]) {
                throw new IllegalStateException("tree translation disagrees with Smile at sample " + i + ": " + ours[i]
                        + " vs " + smile);
            }
        }
        return rule;
    }

    private static int flatten(Node node, int[] classes, List<TreeRule.Node> out) {
        int at = out.size();
        if (node instanceof DecisionNode leaf) {
            out.add(TreeRule.Node.leaf(classes[leaf.output()]));
            return at;
        }
        if (!(node instanceof OrdinalNode split)) {
            throw new IllegalStateException("unexpected Smile node " + node.getClass().getName());
        }
        out.add(null);
        int left = flatten(((InternalNode) split).trueChild(), classes, out);
        int right = flatten(((InternalNode) split).falseChild(), classes, out);
        out.set(at, new TreeRule.Node(split.feature(), splitValue(split), left, right, -1));
        return at;
    }

    /** Smile keeps an ordinal split's value in a package-private field (checked against Smile's predictions in fitOnce). */
    private static final Field SPLIT_VALUE = splitValueField();

    private static Field splitValueField() {
        try {
            Field f = OrdinalNode.class.getDeclaredField("value");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Smile version keeps no OrdinalNode.value field", e);
        }
    }

    private static double splitValue(OrdinalNode node) {
        try {
            return SPLIT_VALUE.getDouble(node);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read Smile's split value", e);
        }
    }
}
