package dev.losslab.network.layers;

import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** Keras' Activation layer: one of {@link Activations#NAMES} element-wise. */
public final class ActivationLayer extends KerasLayer {
    @Override
    public List<String> kerasNames() {
        return List.of("Activation");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        c.put("activation", Activations.name(c.get("activation"), where));
    }

    @Override
    public Shape resolve(LayerSpec l, List<int[]> in, String where) {
        return new Shape(in.get(0).clone());
    }

    @Override
    public <T extends TNumber> Operand<T> build(LayerBuild<T> b) {
        return b.activation(b.x(), b.spec().string("activation", "linear"));
    }

    @Override
    protected Map<String, Object> kerasDefaults(String className) {
        return defaults("activation", null);
    }

    @Override
    public boolean writesBuildConfig(String className) {
        return false;
    }
}
