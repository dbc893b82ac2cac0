package dev.losslab.network;

import dev.losslab.network.layers.LayerSpec;
/**
 * When a relu may move past the max pooling that follows it: {@code MaxPool(relu(z)) = relu(MaxPool(z))}
 * exactly, because relu is monotone non-decreasing and max pooling picks an element of each window. The
 * relu then runs on the pooled map (a quarter of the elements for 2x2 pooling), forward and backward.
 *
 * <p>The gradients agree too: TF's MaxPoolGrad routes a window's gradient to its first maximum and
 * ReluGrad masks by {@code z > 0}. When the window's maximum is positive both orders pass the gradient
 * to the same element (positive values keep their order under relu); when it is not, relu(z) is all
 * zeros and the gradient stops at the relu mask either way. So training is unchanged to the last bit
 * (checked by {@code PoolBeforeReluTest} on forward values and gradients and by the CLI runs).
 *
 * <p>Applies to a Conv2D with {@code activation: relu} or an {@code Activation('relu')} layer whose only
 * consumer is the next layer, a MaxPooling2D. Average pooling does not commute with relu.
 */
final class PoolBeforeRelu {
    private PoolBeforeRelu() {
    }

    /** Whether layer {@code i}'s relu can be applied after layer {@code i + 1}, its max pooling, instead. */
    static boolean applies(ResolvedNetwork net, int i) {
        if (i + 1 >= net.layers().size()) {
            return false;
        }
        LayerSpec layer = net.layers().get(i).spec();
        LayerSpec next = net.layers().get(i + 1).spec();
        boolean relu = (layer.className().equals("Conv2D") || layer.className().equals("Activation"))
                && net.layers().get(i).activation().equals("relu");
        if (!relu || !next.className().equals("MaxPooling2D") || !next.inbound().equals(java.util.List.of(layer.name()))) {
            return false;
        }
        for (int j = 0; j < net.layers().size(); j++) {
            if (j != i + 1 && net.layers().get(j).spec().inbound().contains(layer.name())) {
                return false;
            }
        }
        return true;
    }
}
