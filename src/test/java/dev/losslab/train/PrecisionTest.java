package dev.losslab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.losslab.LosslabException;
import dev.losslab.data.Images;
import dev.losslab.loss.CrossEntropyLoss;
import dev.losslab.network.ModelSpec;
import dev.losslab.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --precision: the CPU check, the session rewrite, and bf16 training close to fp32 where the CPU has bf16. */
class PrecisionTest {

    @Test
    void bf16IsRefusedWithOneLineWithoutCpuSupportOrOnGpu() {
        var e = assertThrows(LosslabException.class, () -> Precision.BF16.check(Device.CPU, " fpu sse avx2 avx512f "));
        assertTrue(e.getMessage().contains("AVX512_BF16 or AMX"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        Precision.BF16.check(Device.CPU, " fpu avx512f avx512_bf16 ");
        Precision.BF16.check(Device.CPU, " fpu amx_bf16 amx_tile ");
        Precision.FP32.check(Device.CPU, null);
        assertThrows(LosslabException.class, () -> Precision.BF16.check(Device.GPU, " amx_bf16 "));
        assertEquals(Precision.BF16, Precision.parse(" BF16 "));
        assertThrows(LosslabException.class, () -> Precision.parse("fp16"));
    }

    /** Where the CPU has bf16: training runs, is finite, and its probabilities differ from fp32's only a little. */
    @Test
    void bf16TrainsCloseToFp32OnCapableCpus() {
        assumeTrue(Precision.cpuHasBf16(), "this CPU has no AVX512_BF16/AMX");
        assertCloseToFp32(2, ModelSpec.NOTEBOOK, Benchmark.synthetic(512, 2, 3), Benchmark.synthetic(256, 2, 4), 128,
                "the notebook's CNN");
    }

    /**
     * Where the CPU has bf16: a network with BatchNormalization (composed and fused) trains in bf16 end to end, its
     * statistics in float32 (Keras 3's mixed-precision rule), close to fp32. Elsewhere the arithmetic itself is checked
     * by {@code FusedBatchNormalizationTest} on TF's Eigen bf16 kernels.
     */
    @Test
    void bf16TrainsBatchNormalizationNetworksOnCapableCpus() {
        assumeTrue(Precision.cpuHasBf16(), "this CPU has no AVX512_BF16/AMX");
        for (String kernel : List.of("composed", "fused")) {
            var layers = List.<java.util.Map<String, Object>>of(
                    java.util.Map.of("Conv2D", java.util.Map.of("filters", 8, "kernel_size", 3, "padding", "same")),
                    java.util.Map.of("BatchNormalization", java.util.Map.of()),
                    java.util.Map.of("ReLU", java.util.Map.of()),
                    java.util.Map.of("GlobalAveragePooling2D", java.util.Map.of()),
                    java.util.Map.of("Dense", java.util.Map.of("units", 3)));
            assertCloseToFp32(3, new ModelSpec(null, layers, null, null, null, null, null, null, kernel),
                    Benchmark.synthetic(256, 3, 5), Benchmark.synthetic(128, 3, 6), 64, kernel);
        }
    }

    /**
     * Trains {@code spec} two epochs in fp32 and in bf16 from the same seed: both finite, and the test probabilities
     * differ (the bf16 arithmetic applied) by less than 0.2.
     */
    private static void assertCloseToFp32(int k, ModelSpec spec, Images train, Images test, int chunk, String what) {
        float[][] p = new float[2][];
        List<Precision> both = List.of(Precision.FP32, Precision.BF16);
        for (int i = 0; i < 2; i++) {
            var options = new TrainingOptions(2, 32, 1e-3, 1, Device.CPU, 1, 0, false, both.get(i));
            try (TrainingGraph g = new TrainingGraph(k, spec, new CrossEntropyLoss(), options, train.size())) {
                var history = new Trainer(options, TestData.quiet()).fit(g, train, test);
                assertTrue(Double.isFinite(history.get(1).trainLoss()), what);
                p[i] = g.probabilities(test, chunk);
            }
        }
        double maxDiff = 0;
        boolean differ = false;
        for (int j = 0; j < p[0].length; j++) {
            maxDiff = Math.max(maxDiff, Math.abs(p[0][j] - p[1][j]));
            differ |= p[0][j] != p[1][j];
        }
        assertTrue(differ, what + ": bf16 should change the arithmetic (the rewrite did not apply?)");
        assertTrue(maxDiff < 0.2, what + ": bf16 probabilities drift from fp32 by " + maxDiff);
    }
}
