package dev.losslab.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The trees Smile fits are pinned: the rules recorded with smile-core 4.4.2 (before the move to 2.6.0, issue
 * 28) on 240 random and 8 real validation probability sets, depths 1-6, leaf sizes 1/5/20, fewer nodes than
 * 2^depth, and the cross-validated size choice, must come out node for node and threshold for threshold the same.
 */
class TreeFixturesTest {
    @Test
    void everyRecordedTreeIsFittedAgainExactly() throws IOException {
        List<TreeFixtures.Case> recorded = TreeFixtures.recorded();
        Map<String, TreeFixtures.ProbabilitySet> sets = new HashMap<>();
        for (TreeFixtures.ProbabilitySet s : TreeFixtures.sets()) {
            sets.put(s.name(), s);
        }
        assertTrue(recorded.size() >= 500, "recorded " + recorded.size());
        List<String> differ = new ArrayList<>();
        int trees = 0;
        for (TreeFixtures.Case want : recorded) {
            TreeFixtures.Case got = TreeFixtures.fit(sets.get(want.set()), want);
            if (!same(want, got)) {
                differ.add(want.set() + " depth " + want.depth() + " nodes " + want.maxNodes() + " leaf " + want.nodeSize()
                        + (want.crossValidated() ? " (cv)" : ""));
            }
            trees += want.rule() != null && want.rule().nodes().size() > 1 ? 1 : 0;
        }
        assertEquals(List.of(), differ, differ.size() + " of " + recorded.size() + " trees differ");
        assertTrue(trees > recorded.size() / 2, "most cases must be real splits, not single leaves: " + trees);
    }

    @Test
    void depthOneIsRefusedInOneLineAsSmile442Did() {
        TreeFixtures.ProbabilitySet set = TreeFixtures.random(1);
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.losslab.LosslabException.class, () -> DecisionTreeTuner.fit(
                set.p(), set.labels(), set.k(), new DecisionTreeTuner.Options(1, null, null, 1)));
        assertEquals("tree size: maxDepth must be >= 2, maxNodes >= 2 and nodeSize >= 1 (got 1, null, null)", e.getMessage());
    }

    private static boolean same(TreeFixtures.Case a, TreeFixtures.Case b) {
        if (a.rule() == null || b.rule() == null) {
            return a.rule() == null && b.rule() == null && java.util.Objects.equals(a.error(), b.error());
        }
        return a.rule().numClasses() == b.rule().numClasses() && a.rule().maxDepth() == b.rule().maxDepth()
                && a.rule().maxNodes() == b.rule().maxNodes() && a.rule().nodeSize() == b.rule().nodeSize()
                && a.rule().nodes().equals(b.rule().nodes());
    }
}
