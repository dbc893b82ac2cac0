package dev.losslab.network;

import dev.losslab.kerasfile.KerasJson;
import dev.losslab.data.InputShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every keras.applications family as Keras 3.15.1 itself builds it ({@code src/test/resources/keras/applications},
 * written by {@code tools/keras-applications.py} from Keras' own source): the JSON parses, resolves with Keras'
 * total / trainable / non-trainable parameter counts; for most, the TF ops' inference pass gives finite
 * probabilities summing to one, and for some the training pass's gradients are finite.
 */
class KerasApplicationsCountsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Families whose gradients are also built and run (between them, every new layer kind's gradient). */
    private static final java.util.Set<String> TRAINED = java.util.Set.of("MobileNetV3Small", "EfficientNetB0",
            "MobileNet");
    /** Families whose inference pass is run too (the others, 20M parameters and more, only resolve: suite time). */
    private static final java.util.Set<String> RUN = java.util.Set.of("ResNet50", "ResNet50V2", "DenseNet121", "MobileNetV2",
            "MobileNetV3Large", "EfficientNetV2B0", "ConvNeXtTiny", "NASNetMobile");

    static JsonNode resource(String name) throws IOException {
        try (InputStream in = KerasApplicationsCountsTest.class.getResourceAsStream("/keras/applications/" + name)) {
            return JSON.readTree(name.endsWith(".gz") ? new GZIPInputStream(in) : in);
        }
    }

    @TestFactory
    List<DynamicTest> everyApplicationHasKerasCounts() throws IOException {
        JsonNode networks = resource("counts.json").get("networks");
        List<DynamicTest> out = new ArrayList<>();
        for (var it = networks.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode c = networks.get(name);
            out.add(DynamicTest.dynamicTest(name, () -> {
                NetworkSpec spec = KerasJson.parse(resource(name + ".json.gz"));
                JsonNode in = c.get("input");
                ResolvedNetwork net = ResolvedNetwork.resolve(spec, new InputShape(in.get(0).asInt(), in.get(1).asInt(),
                        in.get(2).asInt()), c.get("classes").asInt());
                assertEquals(c.get("trainable").asLong(), net.trainableParams(), name + " trainable");
                assertEquals(c.get("non_trainable").asLong(), net.nonTrainableParams(), name + " non-trainable");
                if (RUN.contains(name) || TRAINED.contains(name)) {
                    checkForwardAndGradients(net, TRAINED.contains(name));
                }
            }));
        }
        return out;
    }

    /**
     * The inference pass on two random images gives finite probabilities summing to one; with {@code gradients}, a
     * training pass's gradients of a loss with respect to every trainable weight are finite and not all zero.
     */
    static void checkForwardAndGradients(ResolvedNetwork net, boolean gradients) {
        var input = net.input();
        int n = 2;
        float[] x = new float[n * input.height() * input.width() * input.channels()];
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 255);
        }
        try (org.tensorflow.Graph g = new org.tensorflow.Graph(); org.tensorflow.Session s = new org.tensorflow.Session(g)) {
            var tf = org.tensorflow.op.Ops.create(g);
            NetworkGraph model = NetworkGraph.create(tf, net, Initializers.initialValues(net, 3), 3);
            var images = tf.placeholder(org.tensorflow.types.TFloat32.class, org.tensorflow.op.core.Placeholder.shape(
                    org.tensorflow.ndarray.Shape.of(-1, input.height(), input.width(), input.channels())));
            var probs = tf.nn.softmax(model.logits(tf, images, false));
            List<org.tensorflow.Operand<?>> fetch = new ArrayList<>(List.of(probs));
            if (gradients) {
                var logits = model.logits(tf, images, true);
                var loss = tf.math.mean(tf.math.square(logits), tf.constant(new int[] {0, 1}));
                fetch.addAll(tf.gradients(loss, model.trainable()).dy());
            }
            s.initialize();
            model.initialize(s);
            try (var xt = org.tensorflow.types.TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(n, input.height(), input.width(),
                    input.channels()), org.tensorflow.ndarray.buffer.DataBuffers.of(x, true, false))) {
                var runner = s.runner().feed(images, xt);
                fetch.forEach(runner::fetch);
                try (var out = runner.run()) {
                    var p = (org.tensorflow.types.TFloat32) out.get(0);
                    for (int b = 0; b < n; b++) {
                        double sum = 0;
                        for (int k = 0; k < net.numClasses(); k++) {
                            float v = p.getFloat(b, k);
                            assertTrue(Float.isFinite(v), "probability " + v);
                            sum += v;
                        }
                        assertEquals(1, sum, 1e-5);
                    }
                    double norm = 0;
                    for (int i = 1; i < fetch.size(); i++) {
                        var gt = (org.tensorflow.types.TFloat32) out.get(i);
                        float[] gv = new float[(int) gt.shape().size()];
                        gt.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(gv, false, false));
                        for (float v : gv) {
                            assertTrue(Float.isFinite(v), "gradient " + v);
                            norm += v * v;
                        }
                    }
                    assertTrue(!gradients || norm > 0, "all gradients zero");
                }
            }
        }
    }
}
