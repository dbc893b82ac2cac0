package dev.losslab.network.layers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.losslab.LosslabException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' random augmentation layers inside a network: every {@link ImageAugmentation} but ZeroPadding2D (an ordinary
 * layer there), its ops in a training pass and the identity at inference (Keras 3.15). A RandomCrop inside a network
 * must keep its input's size, since Keras crops in training but not at inference. {@code value_range} defaults to
 * Keras' [0, 255] here.
 */
public final class AugmentationLayer extends KerasLayer<ImageAugmentation> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public List<String> kerasNames() {
        return ImageAugmentation.REGISTRY.names().stream().filter(n -> !n.equals("ZeroPadding2D")).toList();
    }

    @Override
    public Set<String> arguments(String className) {
        Set<String> known = new HashSet<>(ImageAugmentation.REGISTRY.get(className).arguments());
        known.add("data_format");
        return known;
    }

    /** The layer a normalised Keras config describes ({@code where} names it in errors). */
    static ImageAugmentation of(String className, Map<String, Object> config, String where) {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        for (var e : config.entrySet()) {
            if (!e.getKey().equals("trainable") && !(e.getKey().equals("bounding_box_format") && e.getValue() == null)) {
                args.set(e.getKey(), JSON.valueToTree(e.getValue()));
            }
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set(className, args);
        try {
            return ImageAugmentation.parse("layer", node, 255);
        } catch (LosslabException e) {
            throw new LosslabException(where + ": " + e.getMessage().replaceFirst("^layer\\.[A-Za-z0-9]+\\.?", ""));
        }
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        of(className, c, where);
    }

    /** The augmentation layer its config describes, read once. */
    @Override
    protected ImageAugmentation read(LayerSpec c, String where) {
        return of(c.className(), c.config(), where);
    }

    @Override
    protected Shape shape(ImageAugmentation layer, LayerSpec l, List<int[]> in, String where) {
        int[] x = in.get(0);
        if (layer instanceof RandomCrop crop && (x.length != 3 || crop.height() != x[0] || crop.width() != x[1])) {
            throw new LosslabException(where + ": RandomCrop " + crop.height() + "x" + crop.width() + " inside a "
                    + "network must keep its input's size " + fmt(x) + " (Keras 3.15 crops in training but not at "
                    + "inference); put pad-and-crop in the config's augmentation list");
        }
        return new Shape(x.clone());
    }

    /** Keras' base keys, then the layer's own as its class writes them back. */
    @Override
    public Map<String, Object> toConfig(LayerSpec l) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", l.name());
        out.put("trainable", l.bool("trainable", true));
        out.put("dtype", dtypePolicy());
        out.putAll(of(l.className(), l.config(), l.name()).toConfig());
        return out;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T extends TNumber> Operand<T> ops(ImageAugmentation layer, LayerBuild<T> b) {
        Operand<T> x = b.x();
        if (!b.training()) {
            return x; // Keras' preprocessing layers are the identity at inference
        }
        Ops s = b.ops();
        int[] shape = b.layer().outputShape();
        Operand<TFloat32> x32 = x.type() == TFloat32.class ? (Operand<TFloat32>) (Operand<?>) x : s.dtypes.cast(x, TFloat32.class);
        Operand<TInt32> batch = s.slice(s.shape(x32), s.constant(new int[] {0}), s.constant(new int[] {1}));
        // a stateful generator seeded from the run's seed and the layer's position, as Dropout's
        ImageAugmentation.Random random = (sh, k) -> b.uniform(sh, (long) b.position() * 16 + k + 1_000_000);
        Operand<TFloat32> y = layer.apply(s, x32, shape[0], shape[1], batch, random);
        return x.type() == TFloat32.class ? (Operand<T>) (Operand<?>) y : s.dtypes.cast(y, x.type());
    }
}
