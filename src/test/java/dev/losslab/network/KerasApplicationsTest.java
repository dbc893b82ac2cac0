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

    @Test
    void aKerasApplicationsNetworkNestedInAClassifierGivesKerasProbabilities() throws IOException {
        KerasModelFile f = KerasModelFile.read(file("mobilenetv2-035-32.keras"));
        ResolvedNetwork net = ResolvedNetwork.resolve(f.network(), new InputShape(32, 32, 3), 4);
        assertCounts("mobilenetv2-035-32", net);
        double d = maxAbs(npy("mobilenetv2-035-32.probs.npy"), predict(net, f.parameters(net), npy("x.npy"), 4));
        assertTrue(d <= 1e-5, "max abs difference to Keras' probabilities: " + d);
        ResolvedNetwork notop = ResolvedNetwork.shapesOnly(KerasModelFile.read(file("mobilenetv2-035-32-notop.keras")).network(),
                new InputShape(32, 32, 3));
        assertCounts("mobilenetv2-035-32-notop", notop);
    }

    @Test
    void theTransferLearningGuidesFrozenBaseGivesKerasOutputs() throws IOException {
        KerasModelFile f = KerasModelFile.read(file("frozen-base-head.keras"));
        ResolvedNetwork net = ResolvedNetwork.resolve(f.network(), new InputShape(32, 32, 3), 3);
        assertCounts("frozen-base-head", net);
        double d = maxAbs(npy("frozen-base-head.probs.npy"), logits(net, f.parameters(net), npy("x.npy"), 3));
        assertTrue(d <= 1e-5, "max abs difference to Keras' outputs (logits): " + d);
    }

    /** The inference pass's logits (a model without a final softmax outputs them). */
    static float[] logits(ResolvedNetwork net, List<Parameter> weights, float[] x, int k) {
        try (org.tensorflow.Graph g = new org.tensorflow.Graph(); org.tensorflow.Session s = new org.tensorflow.Session(g)) {
            org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
            NetworkGraph model = NetworkGraph.create(tf, net, weights, 1);
            var in = tf.placeholder(org.tensorflow.types.TFloat32.class,
                    org.tensorflow.op.core.Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 32, 32, 3)));
            var out = model.logits(tf, in, false);
            s.initialize();
            try (var xt = org.tensorflow.types.TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(8, 32, 32, 3),
                    org.tensorflow.ndarray.buffer.DataBuffers.of(x, true, false));
                 var r = s.runner().feed(in, xt).fetch(out).run()) {
                float[] o = new float[8 * k];
                ((org.tensorflow.types.TFloat32) r.get(0)).copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(o, false, false));
                return o;
            }
        }
    }
}
