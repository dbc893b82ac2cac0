package dev.losslab.network;

import dev.losslab.data.InputShape;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A classifier's ends as TF sees them: the images placeholder's shape and the class probabilities made from the
 * logits the losses take ({@code [1 - sigmoid, sigmoid]} for two classes, one sigmoid logit; softmax otherwise).
 */
public final class ClassifierOutput {
    private ClassifierOutput() {
    }

    /** Class probabilities {@code [B, K]}. */
    public static Operand<TFloat32> probabilities(Ops tf, Operand<TFloat32> logits, int numClasses) {
        if (numClasses == 2) {
            Operand<TFloat32> p1 = tf.math.sigmoid(logits);
            return tf.concat(List.of(tf.math.sub(tf.constant(1f), p1), p1), tf.constant(1));
        }
        return tf.nn.softmax(logits);
    }

    /** {@code [-1, H, W, C]}: the images, batch dimension unknown. */
    public static Shape inputShape(InputShape input) {
        return Shape.of(-1, input.height(), input.width(), input.channels());
    }
}
