package dev.losslab.tune;

import java.util.List;

/**
 * A CART decision tree on the K class probabilities (the notebook's first multiclass method:
 * "a decision tree trained on the CNN's output probabilities"), fitted with Smile and stored as its
 * plain structure so the JSON form predicts exactly what the fitted tree predicted.
 *
 * <p>Node i is a split when {@code feature >= 0}: go to {@code left} when {@code p[feature] <=
 * threshold} (Smile's ordinal split), else to {@code right}. Otherwise it is a leaf predicting
 * {@code label}. Node 0 is the root.
 *
 * @param maxDepth the tree's fitting parameters, kept for the record
 */
public record TreeRule(int numClasses, int maxDepth, int maxNodes, int nodeSize, List<Node> nodes)
        implements DecisionRule {

    /** A split ({@code feature >= 0}) or a leaf ({@code feature == -1}). */
    public record Node(int feature, double threshold, int left, int right, int label) {
        static Node leaf(int label) {
            return new Node(-1, 0, -1, -1, label);
        }
    }

    @Override
    public int[] predict(float[] probabilities) {
        int n = probabilities.length / numClasses;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = predictOne(probabilities, i * numClasses);
        }
        return out;
    }

    int predictOne(float[] p, int offset) {
        Node node = nodes.get(0);
        while (node.feature() >= 0) {
            // Smile compares the double value of the feature; the DataFrame was built from doubles
            node = nodes.get((double) p[offset + node.feature()] <= node.threshold() ? node.left() : node.right());
        }
        return node.label();
    }
}
