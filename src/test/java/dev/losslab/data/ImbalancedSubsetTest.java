package dev.losslab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImbalancedSubsetTest {
    /** Fashion-MNIST's balance: 6000 training images per class, labels cycling 0..9. */
    private static byte[] balancedLabels(int perClass) {
        byte[] labels = new byte[perClass * 10];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % 10);
        }
        return labels;
    }

    private static int[] countsOf(byte[] labels, int[] idx, int[] classes) {
        int[] map = ImbalancedSubset.labelMap(classes);
        int[] c = new int[classes.length];
        for (int i : idx) {
            c[map[labels[i]]]++;
        }
        return c;
    }

    @Test
    void ninetyTenKeepsTheWholeMajorityClass() {
        byte[] labels = balancedLabels(6000);
        int[] idx = ImbalancedSubset.select(labels, new int[] {0, 1}, new double[] {0.9, 0.1}, null, 1);
        assertArrayEquals(new int[] {6000, 667}, countsOf(labels, idx, new int[] {0, 1}));
        // the test set (1000 per class) gets the same resampling
        byte[] test = balancedLabels(1000);
        assertArrayEquals(new int[] {1000, 111},
                countsOf(test, ImbalancedSubset.select(test, new int[] {0, 1}, new double[] {0.9, 0.1}, null, 1), new int[] {0, 1}));
    }

    @Test
    void threeClassDistribution() {
        byte[] labels = balancedLabels(6000);
        int[] classes = {0, 1, 2};
        int[] idx = ImbalancedSubset.select(labels, classes, new double[] {0.6, 0.3, 0.1}, null, 5);
        assertArrayEquals(new int[] {6000, 3000, 1000}, countsOf(labels, idx, classes));
    }

    @Test
    void keepFractionsAsTheNotebooksTenClassSetting() {
        byte[] labels = balancedLabels(6000);
        int[] classes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] keep = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05};
        int[] idx = ImbalancedSubset.select(labels, classes, null, keep, 3);
        assertArrayEquals(new int[] {5400, 4800, 4200, 3600, 3000, 2400, 1800, 1200, 600, 300}, countsOf(labels, idx, classes));
    }

    @Test
    void sameSeedSameSubsetOtherSeedOther() {
        byte[] labels = balancedLabels(600);
        int[] a = ImbalancedSubset.select(labels, new int[] {3, 7}, new double[] {0.8, 0.2}, null, 42);
        int[] b = ImbalancedSubset.select(labels, new int[] {3, 7}, new double[] {0.8, 0.2}, null, 42);
        int[] c = ImbalancedSubset.select(labels, new int[] {3, 7}, new double[] {0.8, 0.2}, null, 43);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void stratifiedSplitKeepsProportionsAndIsDeterministic() {
        int[] labels = new int[6667];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 6000 ? 0 : 1;
        }
        StratifiedSplit s = StratifiedSplit.of(labels, 2, 0.2, 9);
        int held1 = (int) Arrays.stream(s.holdout()).filter(i -> labels[i] == 1).count();
        assertEquals(1200 + 133, s.holdout().length);
        assertEquals(133, held1);
        assertEquals(labels.length, s.train().length + s.holdout().length);
        assertTrue(Arrays.stream(s.train()).noneMatch(i -> Arrays.binarySearch(s.holdout(), i) >= 0));
        assertArrayEquals(s.holdout(), StratifiedSplit.of(labels, 2, 0.2, 9).holdout());
    }

    @Test
    void invalidSpecsAreOneLineErrors() {
        assertThrows(LosslabException.class, () -> new DataSpec(new int[] {0, 1}, new double[] {0.9, 0.2}, null, 0.2).validate());
        assertThrows(LosslabException.class, () -> new DataSpec(new int[] {0, 10}, new double[] {0.5, 0.5}, null, 0.2).validate());
        assertThrows(LosslabException.class, () -> new DataSpec(new int[] {0, 1}, null, new double[] {0.5, 1.5}, 0.2).validate());
        assertThrows(LosslabException.class, () -> new DataSpec(new int[] {0, 1}, null, null, 0.2).validate());
        assertThrows(LosslabException.class, () -> new DataSpec(new int[] {0}, new double[] {1}, null, 0.2).validate());
        var e = assertThrows(LosslabException.class,
                () -> new DataSpec(new int[] {0, 1}, new double[] {0.9, 0.2}, null, 0.2).validate());
        assertTrue(e.getMessage().contains("sums to"), e.getMessage());
    }
}
