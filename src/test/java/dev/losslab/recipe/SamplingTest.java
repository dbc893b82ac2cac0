package dev.losslab.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import dev.losslab.data.Shuffle;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Class frequencies of each sampler over many epochs, the uniform epoch unchanged, deferral, bad input. */
class SamplingTest {
    static Sampling parse(String json, int epochs) throws Exception {
        return Sampling.parse("sampling", new ObjectMapper().readTree(json), epochs);
    }

    /** 1000 / 100 / 10 images of three classes. */
    static int[] labels() {
        int[] y = new int[1110];
        for (int i = 0; i < y.length; i++) {
            y[i] = i < 1000 ? 0 : i < 1100 ? 1 : 2;
        }
        return y;
    }

    static double[] shares(Sampling s, int epoch, int epochs) {
        int[] y = labels();
        Sampling.Sampler sampler = s.sampler(y, 3);
        SplittableRandom r = new SplittableRandom(7);
        double[] counts = new double[3];
        long total = 0;
        for (int e = 0; e < epochs; e++) {
            int[] order = sampler.order(epoch, r);
            assertEquals(y.length, order.length, "the epoch keeps its length");
            for (int i : order) {
                counts[y[i]]++;
                total++;
            }
        }
        for (int c = 0; c < 3; c++) {
            counts[c] /= total;
        }
        return counts;
    }

    @Test
    void classFrequenciesOverManyEpochs() throws Exception {
        double[] balanced = shares(parse("\"class_balanced\"", 10), 1, 200);
        for (double v : balanced) {
            assertEquals(1.0 / 3, v, 0.005);
        }
        double[] root = shares(parse("\"square_root\"", 10), 1, 200);
        double z = Math.sqrt(1000) + Math.sqrt(100) + Math.sqrt(10);
        assertEquals(Math.sqrt(1000) / z, root[0], 0.005);
        assertEquals(Math.sqrt(100) / z, root[1], 0.005);
        assertEquals(Math.sqrt(10) / z, root[2], 0.005);
        double[] uniform = shares(Sampling.UNIFORM, 1, 3);
        assertEquals(1000.0 / 1110, uniform[0], 1e-12);
    }

    @Test
    void uniformEpochsAreTheShuffleTheyAlwaysWereAndDeferralWaits() throws Exception {
        int[] y = labels();
        SplittableRandom a = new SplittableRandom(3);
        SplittableRandom b = new SplittableRandom(3);
        Sampling.Sampler deferred = parse("{\"type\": \"class_balanced\", \"fromEpoch\": 3}", 5).sampler(y, 3);
        assertArrayEquals(Shuffle.permutation(y.length, b), deferred.order(1, a));
        assertArrayEquals(Shuffle.permutation(y.length, b), deferred.order(2, a));
        assertTrue(deferred.resamples(3) && !deferred.resamples(2));
        int[] third = deferred.order(3, a);
        long rare = java.util.Arrays.stream(third).filter(i -> y[i] == 2).count();
        assertTrue(rare > 250, "class 2 (10 images) drawn about 370 times in a re-sampled epoch: " + rare);
        assertEquals("class_balanced-from3", deferred == null ? "" : parse("{\"type\": \"class_balanced\", \"fromEpoch\": 3}", 5)
                .configName());
    }

    @Test
    void badSamplingIsOneLine() {
        String[][] cases = {
                {"\"oversample\"", "sampling: unknown 'oversample'; valid: [class_balanced, square_root, uniform]"},
                {"{\"type\": \"class_balanced\", \"fromEpoch\": 11}", "sampling.fromEpoch: 11 is beyond the run's 10 epochs"},
                {"{\"type\": \"class_balanced\", \"from\": 3}", "sampling.from: unknown field (valid: type, fromEpoch)"},
                {"{\"fromEpoch\": 3}", "sampling.type: required, one of [class_balanced, square_root, uniform]"},
                {"{\"type\": \"square_root\", \"fromEpoch\": 0}", "sampling.fromEpoch: expected a whole number >= 1, found 0"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], assertThrows(LosslabException.class, () -> parse(c[0], 10), c[0]).getMessage());
        }
    }
}
