package dev.losslab.network.layers;

import dev.losslab.LosslabException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every layer kind losslab builds, by Keras class name (InputLayer is the images themselves and has no kind). */
public final class LayerKinds {
    private static final Map<String, KerasLayer<?>> BY_NAME = new LinkedHashMap<>();

    static {
        for (KerasLayer<?> k : List.<KerasLayer<?>>of(new Conv2DLayer(), new DepthwiseConv2DLayer(), new PoolingLayer(), new GlobalPoolingLayer(),
                new FlattenLayer(), new ReshapeLayer(), new DenseLayer(), new NormedDenseLayer(), new DropoutLayer(), new BatchNormalizationLayer(),
                new LayerNormalizationLayer(), new NormalizationLayer(), new ActivationLayer(), new ReLULayer(), new LeakyReLULayer(),
                new RescalingLayer(), new ZeroPadding2DLayer(), new MergeLayer(), new ConcatenateLayer(), new ScaleLayer(),
                new AugmentationLayer())) {
            for (String name : k.kerasNames()) {
                if (BY_NAME.put(name, k) != null) {
                    throw new IllegalStateException("two layer kinds for " + name);
                }
            }
        }
    }

    private LayerKinds() {
    }

    /** The Keras class names losslab builds, InputLayer first. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        out.add("InputLayer");
        out.addAll(BY_NAME.keySet());
        return Collections.unmodifiableList(out);
    }

    /** The kind building {@code className}; a one-line error naming what is supported otherwise. */
    public static KerasLayer<?> of(String className, String where) {
        KerasLayer<?> k = BY_NAME.get(className);
        if (k == null) {
            throw new LosslabException(where + ": layer class '" + className + "' is not supported; supported: "
                    + String.join(", ", names()));
        }
        return k;
    }
}
