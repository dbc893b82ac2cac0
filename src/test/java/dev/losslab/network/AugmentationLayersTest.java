package dev.losslab.network;

import dev.losslab.kerasfile.KerasJson;
import dev.losslab.data.InputShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Keras' augmentation layers inside a network (a layer list, or a Keras JSON): active in the training pass,
 * the identity in the inference pass (so the SavedModel is the inference graph), no weights, Keras' own
 * config keys accepted; a RandomCrop that would change the size is one line.
 */
class AugmentationLayersTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static ResolvedNetwork net(String layers) throws Exception {
        List<Map<String, Object>> l = JSON.readValue(layers, new TypeReference<>() { });
        return ResolvedNetwork.resolve(LayerList.parse(l), new InputShape(8, 8, 1), 3);
    }

    static float[] logits(ResolvedNetwork net, boolean training, float[] x) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            NetworkGraph model = NetworkGraph.create(tf, net, Initializers.initialValues(net, 3), 3);
            var in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
            var out = model.logits(tf, in, training);
            s.initialize();
            model.initialize(s);
            try (TFloat32 t = TFloat32.tensorOf(Shape.of(16, 8, 8, 1), DataBuffers.of(x, true, false));
                 var r = s.runner().feed(in, t).fetch(out).run()) {
                float[] v = new float[16 * 3];
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(v, false, false));
                return v;
            }
        }
    }

    static final String HEAD = "{\"Conv2D\": {\"filters\": 4, \"kernel_size\": 3}}, {\"Flatten\": {}}, "
            + "{\"Dense\": {\"units\": 3, \"activation\": \"softmax\"}}]";

    @Test
    void activeInTrainingTheIdentityAtInference() throws Exception {
        float[] x = new float[16 * 64];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        ResolvedNetwork plain = net("[" + HEAD);
        ResolvedNetwork augmented = net("[{\"RandomFlip\": {\"mode\": \"horizontal\"}}, {\"RandomRotation\": {\"factor\": 0.2}}, "
                + HEAD);
        assertEquals(plain.trainableParams(), augmented.trainableParams(), "augmentation layers have no weights");
        assertArrayEquals(logits(plain, false, x), logits(augmented, false, x), "the inference pass skips them");
        assertArrayEquals(logits(plain, true, x), logits(plain, true, x));
        assertFalse(java.util.Arrays.equals(logits(plain, true, x), logits(augmented, true, x)), "the training pass augments");
        assertTrue(augmented.summary().contains("RandomFlip"), augmented.summary());
    }

    @Test
    void aKerasJsonWithAugmentationLayersIsRead() {
        String keras = """
                {"class_name": "Sequential", "config": {"name": "aug", "layers": [
                  {"class_name": "InputLayer", "config": {"batch_shape": [null, 8, 8, 1], "name": "input"}},
                  {"class_name": "RandomFlip", "config": {"name": "random_flip", "trainable": true, "dtype": "float32",
                   "data_format": "channels_last", "mode": "horizontal", "seed": null}},
                  {"class_name": "RandomZoom", "config": {"name": "random_zoom", "trainable": true, "height_factor": 0.1,
                   "width_factor": null, "fill_mode": "reflect", "interpolation": "bilinear", "seed": null, "fill_value": 0.0,
                   "data_format": "channels_last"}},
                  {"class_name": "Flatten", "config": {"name": "flatten"}},
                  {"class_name": "Dense", "config": {"name": "dense", "units": 3, "activation": "softmax"}}]}}
                """;
        try {
            NetworkSpec spec = KerasJson.parse(JSON.readTree(keras));
            ResolvedNetwork net = ResolvedNetwork.resolve(spec, new InputShape(8, 8, 1), 3);
            assertEquals(8 * 8 * 3 + 3, net.trainableParams());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCropThatChangesTheSizeOrABadArgumentIsOneLine() {
        String m = assertThrows(LosslabException.class, () -> net("[{\"RandomCrop\": {\"height\": 6, \"width\": 6}}, " + HEAD))
                .getMessage();
        assertTrue(m.contains("RandomCrop 6x6 inside a network must keep its input's size"), m);
        String b = assertThrows(LosslabException.class, () -> net("[{\"RandomFlip\": {\"mode\": \"sideways\"}}, " + HEAD))
                .getMessage();
        assertTrue(b.contains("mode: expected one of [horizontal, horizontal_and_vertical, vertical], found \"sideways\""), b);
        assertEquals(1, b.lines().count());
    }
}
