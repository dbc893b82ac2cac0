package dev.losslab.network;

import java.util.List;

/**
 * A network as data: its layers in an order where every layer comes after its inputs (checked by
 * {@link NetworkSpec#ordered}), the input shape the file or config declares ([H, W, C], or null to
 * take the data's), and the output layer's name. Sequential networks are chains; functional ones
 * name their inbound layers. The notebook's CNN is one such value ({@link LayerList#notebook}).
 */
public record NetworkSpec(String name, List<LayerSpec> layers, int[] declaredInput, String output) {
    public NetworkSpec {
        layers = List.copyOf(layers);
    }
}
