package dev.losslab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.data.Images;
import dev.losslab.loss.CrossEntropyLoss;
import dev.losslab.train.Benchmark;
import dev.losslab.train.Device;
import dev.losslab.train.TrainingGraph;
import dev.losslab.train.TrainingOptions;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CnnGraphTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 10})
    void probabilitiesHaveShapeNKAndAreDistributions(int k) {
        Images images = Benchmark.synthetic(37, k, 5);
        try (TrainingGraph g = new TrainingGraph(k, new CrossEntropyLoss(),
                new TrainingOptions(1, 32, 1e-3, 1, Device.CPU, 1), 1)) {
            float[] p = g.probabilities(images, 16); // chunks of 16, 16, 5
            assertEquals(37 * k, p.length);
            for (int i = 0; i < 37; i++) {
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    float v = p[i * k + c];
                    assertTrue(v > 0 && v < 1, "p=" + v);
                    sum += v;
                }
                assertEquals(1.0, sum, 1e-5);
            }
        }
    }

    @Test
    void parameterCountMatchesKerasSummary() {
        // Keras model.summary() for this network, K=2: 640 + 18464 + 9248 + 3300 + 101 = 31,753
        long binary = CnnArchitecture.shapes(2).stream().mapToLong(p -> p.values().length).sum();
        long ten = CnnArchitecture.shapes(10).stream().mapToLong(p -> p.values().length).sum();
        assertEquals(31_753, binary);
        assertEquals(31_753 - 101 + 1010, ten);
    }

    @Test
    void glorotInitIsSeededAndBounded() {
        List<Parameter> a = CnnArchitecture.initialParameters(2, 7);
        List<Parameter> b = CnnArchitecture.initialParameters(2, 7);
        Parameter conv2 = a.get(2);
        double limit = Math.sqrt(6.0 / (9 * 64 + 9 * 32));
        double max = 0;
        for (float v : conv2.values()) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= limit && max > 0.9 * limit, "max |w| " + max + " vs limit " + limit);
        assertEquals(java.util.Arrays.hashCode(conv2.values()), java.util.Arrays.hashCode(b.get(2).values()));
        for (float v : a.get(1).values()) {
            assertEquals(0f, v);
        }
    }
}
