package dev.losslab.tune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import dev.losslab.util.TextFiles;
import java.nio.file.Path;

/** Reading decision rules back from their JSON form, with one-line errors. */
public final class DecisionRules {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private DecisionRules() {
    }

    /** Null when the rule is well formed, else what is wrong with it. */
    static String problem(DecisionRule rule) {
        double[] t = rule instanceof AbsoluteThresholdRule a ? a.thresholds()
                : rule instanceof RelativeThresholdRule r ? r.thresholds() : null;
        if (t != null) {
            for (double v : t) {
                if (!Double.isFinite(v) || rule instanceof RelativeThresholdRule && v <= 0) {
                    return "threshold " + v + " is not valid (finite" + (rule instanceof RelativeThresholdRule ? ", > 0" : "") + ")";
                }
            }
        }
        if (rule instanceof LogitAdjustmentRule la) {
            if (la.priors() == null || !Double.isFinite(la.tau())) {
                return "logit adjustment needs priors and a finite tau";
            }
            for (double v : la.priors()) {
                if (!(v > 0 && v <= 1)) {
                    return "prior " + v + " is not in (0, 1]";
                }
            }
        }
        if (rule instanceof TreeRule tree) {
            int n = tree.nodes() == null ? 0 : tree.nodes().size();
            if (n == 0) {
                return "tree has no nodes";
            }
            for (int i = 0; i < n; i++) {
                TreeRule.Node node = tree.nodes().get(i);
                boolean leaf = node.feature() < 0;
                if (leaf ? node.label() < 0 || node.label() >= tree.numClasses()
                        : node.feature() >= tree.numClasses() || node.left() <= i || node.right() <= i
                        || node.left() >= n || node.right() >= n) {
                    return "tree node " + i + " is malformed";
                }
            }
        }
        return null;
    }

    public static DecisionRule read(Path file) {
        String text = TextFiles.read(file, "rule file");
        try {
            DecisionRule rule = JSON.readValue(text, DecisionRule.class);
            if (rule instanceof BinaryThresholdRule b && !(b.threshold() >= 0 && b.threshold() <= 1)) {
                throw new LosslabException(file + ": threshold " + b.threshold() + " is outside [0, 1]");
            }
            if (rule.numClasses() < 2) {
                throw new LosslabException(file + ": rule is for " + rule.numClasses() + " classes; need at least 2");
            }
            String problem = problem(rule);
            if (problem != null) {
                throw new LosslabException(file + ": " + problem);
            }
            return rule;
        } catch (JsonProcessingException e) {
            throw new LosslabException(file + ": not a decision rule (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /**
     * A rule as readable text, the one form every printout uses: its method, then its numbers (thresholds to three
     * decimals; a tree by its size), e.g. {@code relative, thresholds [0.168, 0.103, ...]} or
     * {@code tree, 13 nodes, maxDepth 8, nodeSize 5}.
     */
    public static String describe(DecisionRule rule) {
        if (rule instanceof BinaryThresholdRule b) {
            return String.format(java.util.Locale.ROOT, "grid, threshold %.3f", b.threshold());
        }
        if (rule instanceof AbsoluteThresholdRule a) {
            return "absolute, thresholds " + format(a.thresholds());
        }
        if (rule instanceof RelativeThresholdRule r) {
            return "relative, thresholds " + format(r.thresholds());
        }
        if (rule instanceof LogitAdjustmentRule la) {
            return String.format(java.util.Locale.ROOT, "logit adjustment, tau %.2f, priors %s", la.tau(), format(la.priors()));
        }
        if (rule instanceof TreeRule t) {
            return "tree, " + t.nodes().size() + " nodes, maxDepth " + t.maxDepth() + ", nodeSize " + t.nodeSize();
        }
        return "argmax";
    }

    private static String format(double[] t) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < t.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.3f", t[i]));
        }
        return sb.append(']').toString();
    }
}
