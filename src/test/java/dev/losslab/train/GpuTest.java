package dev.losslab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.losslab.LosslabException;
import dev.losslab.data.Images;
import dev.losslab.loss.CrossEntropyLoss;
import dev.losslab.testing.TestData;
import org.junit.jupiter.api.Test;

/** The CUDA path: runs where TensorFlow sees a GPU (the 'gpu' Maven profile on a CUDA host), skipped elsewhere. */
class GpuTest {
    static boolean gpuVisible() {
        try {
            SessionFactory.checkDevice(Device.GPU);
            return true;
        } catch (LosslabException e) {
            return false;
        }
    }

    @Test
    void trainsOnTheGpuLikeOnTheCpu() {
        assumeTrue(gpuVisible(), "no GPU visible to TensorFlow (CPU native build or no CUDA host); skipping GPU test");
        Images train = Benchmark.synthetic(256, 3, 3);
        float[][] p = new float[2][];
        Device[] devices = {Device.CPU, Device.GPU};
        for (int d = 0; d < 2; d++) {
            TrainingOptions options = new TrainingOptions(1, 32, 1e-3, 9, devices[d], 0);
            try (TrainingGraph g = new TrainingGraph(3, dev.losslab.network.ModelSpec.NOTEBOOK, new CrossEntropyLoss(), options, train.size())) {
                new Trainer(options, TestData.quiet()).fit(g, train, train.subset(new int[0]));
                p[d] = g.probabilities(train, 128);
            }
        }
        for (int i = 0; i < p[0].length; i++) {
            assertEquals(p[0][i], p[1][i], 2e-3, "probability " + i);
        }
    }

    @Test
    void withoutAGpuTheErrorIsOneClearLine() {
        assumeTrue(!gpuVisible(), "a GPU is visible; the no-GPU message cannot be checked here");
        var e = assertThrows(LosslabException.class, () -> SessionFactory.checkDevice(Device.GPU));
        assertTrue(e.getMessage().startsWith("--device gpu: no GPU is visible"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
