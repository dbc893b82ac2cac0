package dev.losslab.network.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Keras' initializers, one class each in one registry: each draws with the variance Keras' formula gives (a 3x3x64x64
 * kernel, 36,864 values, moments within a few percent), stays within its bounds, writes itself back and reads back to
 * the same draws; an unknown name or VarianceScaling mode is one line.
 */
class KerasInitializerTest {
    static final long[] KERNEL = {3, 3, 64, 64};

    static float[] draw(KerasInitializer init) {
        float[] v = new float[36864];
        init.fill(v, KERNEL, new SplittableRandom(7));
        return v;
    }

    static double variance(float[] v) {
        double m = 0;
        for (float x : v) {
            m += x;
        }
        m /= v.length;
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return s / v.length;
    }

    static KerasInitializer named(String cls, Map<String, Object> config) {
        return KerasInitializer.of(Map.of("class_name", cls, "config", config), "w");
    }

    @Test
    void everyInitializerDrawsWithKerasVarianceAndWritesItselfBack() {
        double fanIn = 3 * 3 * 64;
        double fanAvg = fanIn; // fan_in = fan_out for a square kernel
        Map<String, Double> variances = Map.of("GlorotUniform", 1 / fanAvg, "GlorotNormal", 1 / fanAvg, "HeUniform",
                2 / fanIn, "HeNormal", 2 / fanIn, "LecunUniform", 1 / fanIn, "LecunNormal", 1 / fanIn, "RandomNormal",
                0.05 * 0.05, "RandomUniform", 0.1 * 0.1 / 12, "VarianceScaling", 1 / fanIn);
        for (String cls : KerasInitializer.REGISTRY.names()) {
            KerasInitializer init = named(cls, Map.of());
            float[] v = draw(init);
            KerasInitializer back = KerasInitializer.of(init.toConfig(), "w");
            assertEquals(init.toConfig(), back.toConfig(), cls);
            assertTrue(java.util.Arrays.equals(v, draw(back)), cls + " reads back to the same draws");
            if (variances.containsKey(cls)) {
                double got = variance(v);
                double want = variances.get(cls);
                assertEquals(1, got / want, 0.05, cls + ": variance " + got + " vs Keras' " + want);
            }
        }
        // TruncatedNormal(stddev s) is N(0, s) cut at 2 s: variance 0.774 s^2, nothing beyond 2 s
        float[] t = draw(named("TruncatedNormal", Map.of()));
        assertEquals(0.774 * 0.0025, variance(t), 0.0025 * 0.05);
        for (float x : t) {
            assertTrue(Math.abs(x) <= 0.1 + 1e-7);
        }
        float[] u = draw(named("HeUniform", Map.of()));
        double limit = Math.sqrt(6 / fanIn);
        for (float x : u) {
            assertTrue(Math.abs(x) <= limit);
        }
        assertEquals(List.of(0.5f, 0.5f), List.of(draw(named("Constant", Map.of("value", 0.5)))[0],
                draw(named("Constant", Map.of("value", 0.5)))[36863]));
        assertEquals(1f, draw(named("Ones", Map.of()))[100]);
    }

    @Test
    void unknownInitializersAndModesAreOneLine() {
        LosslabException e = assertThrows(LosslabException.class, () -> named("Orthogonal", Map.of()));
        assertEquals("w: initializer 'Orthogonal' is not supported", e.getMessage());
        e = assertThrows(LosslabException.class, () -> named("VarianceScaling", Map.of("mode", "fan_max")));
        assertTrue(e.getMessage().contains("mode 'fan_max' is not supported"), e.getMessage());
    }
}
