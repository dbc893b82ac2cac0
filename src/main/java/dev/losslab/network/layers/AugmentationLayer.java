package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import dev.losslab.network.layers.AugmentationGraph;
import dev.losslab.network.layers.LayerSpec;
import dev.losslab.recipe.Augmentation;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * Keras' random preprocessing layers inside a network (RandomFlip, RandomCrop, RandomTranslation,
 * RandomRotation, RandomZoom, RandomContrast, RandomBrightness): {@link AugmentationGraph}'s ops in a training
 * pass, the identity at inference (Keras 3.15). A RandomCrop inside a network must keep its input's size,
 * since Keras crops in training but not at inference.
 */
public final class AugmentationLayer extends KerasLayer {
    @Override
    public List<String> kerasNames() {
        return List.of("RandomFlip", "RandomCrop", "RandomTranslation", "RandomRotation", "RandomZoom", "RandomContrast",
                "RandomBrightness");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        Augmentation.fromKeras(className, c, where);
    }

    @Override
    public Shape resolve(LayerSpec l, List<int[]> in, String where) {
        int[] x = in.get(0);
        if (l.className().equals("RandomCrop")) {
            var crop = (Augmentation.Crop) Augmentation.fromKeras("RandomCrop", l.config(), where);
            if (x.length != 3 || crop.height() != x[0] || crop.width() != x[1]) {
                throw new LosslabException(where + ": RandomCrop " + crop.height() + "x" + crop.width() + " inside a "
                        + "network must keep its input's size " + fmt(x) + " (Keras 3.15 crops in training but not at "
                        + "inference); put pad-and-crop in the config's augmentation list");
            }
        }
        return new Shape(x.clone());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends TNumber> Operand<T> build(LayerBuild<T> b) {
        Operand<T> x = b.x();
        if (!b.training()) {
            return x; // Keras' preprocessing layers are the identity at inference
        }
        Ops s = b.ops();
        var aug = Augmentation.fromKeras(b.spec().className(), b.spec().config(), b.spec().name());
        int[] shape = b.layer().outputShape();
        Operand<TFloat32> x32 = x.type() == TFloat32.class ? (Operand<TFloat32>) (Operand<?>) x : s.dtypes.cast(x, TFloat32.class);
        var batch = s.slice(s.shape(x32), s.constant(new int[] {0}), s.constant(new int[] {1}));
        // a stateful generator seeded from the run's seed and the layer's position, as Dropout's
        AugmentationGraph.Random random = (sh, k) -> b.uniform(sh, (long) b.position() * 16 + k + 1_000_000);
        Operand<TFloat32> y = AugmentationGraph.applyLayer(s, aug, x32, shape[0], shape[1], batch, random);
        return x.type() == TFloat32.class ? (Operand<T>) (Operand<?>) y : s.dtypes.cast(y, x.type());
    }
}
