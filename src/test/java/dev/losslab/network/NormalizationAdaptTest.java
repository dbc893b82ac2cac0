package dev.losslab.network;

import dev.losslab.data.InputShape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Keras' Normalization.adapt: per-channel mean and biased variance of the training images, after a Rescaling. */
class NormalizationAdaptTest {

    @Test
    void adaptsTheInputNormalizationToTheTrainingImages() {
        InputShape in = new InputShape(3, 2, 2);
        ResolvedNetwork net = ResolvedNetwork.shapesOnly(LayerList.parse(List.of(
                Map.of("Rescaling", Map.of("scale", 0.5, "offset", 1.0)),
                Map.of("Normalization", Map.of()),
                Map.of("Flatten", Map.of()),
                Map.of("Dense", Map.of("units", 3)))), in);
        assertEquals(1, NormalizationAdapt.layer(net));
        SplittableRandom r = new SplittableRandom(2);
        float[] x = new float[5 * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(256);
        }
        List<Parameter> w = NormalizationAdapt.adapt(net, 1, Initializers.initialValues(net, 1), x, 2);
        for (int c = 0; c < 2; c++) {
            double m = 0;
            for (int i = c; i < x.length; i += 2) {
                m += x[i] * 0.5 + 1;
            }
            m /= 30;
            double v = 0;
            for (int i = c; i < x.length; i += 2) {
                v += (x[i] * 0.5 + 1 - m) * (x[i] * 0.5 + 1 - m);
            }
            v /= 30;
            assertEquals(m, w.get(0).values()[c], 1e-4);
            assertEquals(v, w.get(1).values()[c], 1e-3);
        }
        assertEquals(30f, w.get(2).values()[0]);
        // with config values, or deeper in the network, nothing is adapted
        assertEquals(-1, NormalizationAdapt.layer(ResolvedNetwork.shapesOnly(LayerList.parse(List.of(
                Map.of("Normalization", Map.of("mean", 0.5, "variance", 2.0)), Map.of("Flatten", Map.of()))), in)));
        assertEquals(-1, NormalizationAdapt.layer(ResolvedNetwork.shapesOnly(LayerList.parse(List.of(
                Map.of("Conv2D", Map.of("filters", 2, "kernel_size", 1)), Map.of("Normalization", Map.of()))), in)));
    }
}
