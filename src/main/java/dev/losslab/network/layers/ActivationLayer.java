package dev.losslab.network.layers;

import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** Keras' Activation layer: one of {@link Activations#NAMES} element-wise. */
public final class ActivationLayer extends KerasLayer<ActivationLayer.Settings> {
    /** The activation's name, read once. */
    record Settings(String activation) implements Activated {
    }

    @Override
    public List<String> kerasNames() {
        return List.of("Activation");
    }

    @Override
    public void normalise(String className, Map<String, Object> c, String where) {
        c.put("activation", Activations.name(c.get("activation"), where));
    }

    @Override
    protected Settings read(LayerSpec c, String where) {
        return new Settings(c.string("activation"));
    }

    @Override
    protected Shape shape(Settings s, LayerSpec l, List<int[]> in, String where) {
        return new Shape(in.get(0).clone());
    }

    @Override
    protected <T extends TNumber> Operand<T> ops(Settings s, LayerBuild<T> b) {
        return b.activation(b.x(), s.activation());
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
