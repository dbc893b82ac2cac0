package dev.losslab.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.losslab.LosslabException;
import dev.losslab.network.layers.ImageAugmentation;
import dev.losslab.util.KerasObject;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A config's {@code "augmentation"} list: Keras' image augmentation layers ({@link ImageAugmentation}'s registry,
 * the same classes a network may hold) put in front of the network, applied to each training batch and skipped as a
 * whole at inference (as a {@code tf.data} pipeline's augmentation is), so the exported SavedModel is the inference
 * graph. {@code value_range} defaults to the run's pixel scale ([0, 1] for unit-scaled pixels, [0, 255] raw) rather
 * than Keras' [0, 255], because here it applies to what the network is fed. The field's CIFAR recipe in one line:
 * {@code [{"ZeroPadding2D": {"padding": 4}}, {"RandomCrop": {"height": 32, "width": 32, "per_image": true}},
 * {"RandomFlip": {"mode": "horizontal"}}]}.
 */
public record Augmentation(List<ImageAugmentation> layers) {
    public static final Augmentation NONE = new Augmentation(List.of());

    /** The list at config field {@code path}; {@code pixelMax} is 1 for unit-scaled pixels, 255 for raw. */
    public static Augmentation parse(String path, JsonNode node, double pixelMax) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        if (!node.isArray()) {
            throw new LosslabException(path + ": expected a list of layers such as [{\"RandomFlip\": {\"mode\": \"horizontal\"}}], "
                    + "found " + KerasObject.abbreviate(node));
        }
        List<ImageAugmentation> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(ImageAugmentation.parse(path + "[" + i + "]", node.get(i), pixelMax));
        }
        return new Augmentation(List.copyOf(out));
    }

    /** The list as a config again, {@code [{"RandomFlip": {...}}, ...]}: each layer as its class writes itself back. */
    public ArrayNode toConfig() {
        ObjectMapper json = new ObjectMapper();
        ArrayNode list = json.createArrayNode();
        for (ImageAugmentation l : layers) {
            list.addObject().set(l.className(), json.valueToTree(l.toConfig()));
        }
        return list;
    }

    public boolean isEmpty() {
        return layers.isEmpty();
    }

    /**
     * The training batch {@code x} [B, height, width, C] augmented, layer after layer; {@code step} is the step number
     * fed each step (float32 scalar). Randomness is TF's stateless generator seeded by (the run's {@code seed}, the
     * layer, the step number), so a run repeats exactly and no state lives in the graph.
     */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int height, int width, long seed, Operand<TFloat32> step) {
        Ops s = tf.withSubScope("augmentation");
        int[] end = outputSize(height, width);
        if (end[0] != height || end[1] != width) {
            throw new LosslabException("augmentation turns " + height + "x" + width + " images into " + end[0] + "x" + end[1]
                    + "; it must end at the images' size, since it is skipped at inference (pad, then crop back)");
        }
        Operand<TInt64> stepId = s.dtypes.cast(step, TInt64.class);
        Operand<TInt32> batch = s.slice(s.shape(x), s.constant(new int[] {0}), s.constant(new int[] {1}));
        int h = height;
        int w = width;
        int i = 0;
        for (ImageAugmentation layer : layers) {
            i++;
            final int layerId = i;
            ImageAugmentation.Random random = (shape, k) -> s.random.statelessRandomUniform(shape, s.stack(List.of(
                    s.constant(seed * 1_000_003L + layerId * 16L + k), stepId)), TFloat32.class);
            x = layer.apply(s, x, h, w, batch, random);
            int[] next = layer.outputSize(h, w);
            h = next[0];
            w = next[1];
        }
        return x;
    }

    /** The image size after the layers: padding grows it, a crop sets it. */
    public int[] outputSize(int height, int width) {
        int[] size = {height, width};
        for (ImageAugmentation l : layers) {
            size = l.outputSize(size[0], size[1]);
        }
        return size;
    }
}
