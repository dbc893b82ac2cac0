package dev.losslab.network;

import dev.losslab.network.layers.LayerSpec;
import java.util.List;
import java.util.Map;

/**
 * A network as data: its layers in an order where every layer comes after its inputs (checked by
 * {@link Topology#order}), the input shape the file or config declares ([H, W, C], or null to
 * take the data's), and the output layer's name. Sequential networks are chains; functional ones
 * name their inbound layers; nested models are inlined. {@code origins} says where each layer's weights
 * sit in the Keras file it came from (empty for a losslab layer list). The notebook's CNN is one such value
 * ({@link LayerList#notebook}).
 */
public record NetworkSpec(String name, List<LayerSpec> layers, int[] declaredInput, String output,
                          Map<String, KerasOrigin> origins) {
    public NetworkSpec {
        layers = List.copyOf(layers);
        origins = Map.copyOf(origins);
    }

    public NetworkSpec(String name, List<LayerSpec> layers, int[] declaredInput, String output) {
        this(name, layers, declaredInput, output, Map.of());
    }
}
