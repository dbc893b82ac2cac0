package dev.losslab.network;

import static dev.losslab.network.KerasFilesTest.file;
import static dev.losslab.network.KerasFilesTest.maxAbs;
import static dev.losslab.network.KerasFilesTest.npy;
import static dev.losslab.network.KerasFilesTest.predict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.losslab.model.InputShape;
import dev.losslab.model.Parameter;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layers keras.applications networks are made of, against files Keras 3.15.1 wrote itself
 * ({@code ../shared/reference/keras-files/}): the layer zoo (Normalization, ZeroPadding2D, Cropping2D, strided
 * Conv2D without bias, ReLU max_value / negative_slope, DepthwiseConv2D, squeeze-excite with hard_sigmoid and
 * Multiply, SeparableConv2D, LayerNormalization, Dropout noise_shape, Reshape, BatchNormalization on a Dense
 * output, swish) gives Keras' parameter counts and Keras' probabilities on {@code x.npy} within 1e-5.
 */
class KerasApplicationsTest {

    static void assertCounts(String name, ResolvedNetwork net) throws IOException {
        JsonNode c = KerasFilesTest.JSON.readTree(file("keras-files.json").toFile()).at("/counts/" + name);
        assertEquals(c.get("trainable").asLong(), net.trainableParams(), name + " trainable");
        assertEquals(c.get("non_trainable").asLong(), net.nonTrainableParams(), name + " non-trainable");
        assertEquals(c.get("total").asLong(), net.trainableParams() + net.nonTrainableParams(), name + " total");
    }

    @Test
    void theLayerZooGivesKerasCountsAndProbabilities() throws IOException {
        KerasModelFile f = KerasModelFile.read(file("layer-zoo.keras"));
        ResolvedNetwork net = ResolvedNetwork.resolve(f.network(), new InputShape(32, 32, 3), 3);
        assertCounts("layer-zoo", net);
        List<Parameter> w = f.parameters(net);
        double d = maxAbs(npy("layer-zoo.probs.npy"), predict(net, w, npy("x.npy"), 3));
        assertTrue(d <= 1e-5, "max abs difference to Keras' probabilities: " + d);
    }
}
