package dev.losslab.train;

import dev.losslab.loss.Loss;
import dev.losslab.network.ClassifierOutput;
import dev.losslab.network.NetworkGraph;
import dev.losslab.data.Images;
import dev.losslab.data.InputShape;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The network's inference pass inside the training graph (moving statistics, no dropout or augmentation): class
 * probabilities in chunks and the loss as Keras reports validation loss, fed images from Java.
 */
final class EvaluationPass {
    private final Placeholder<TFloat32> images;
    private final Placeholder<TFloat32> labels;
    private final Operand<TFloat32> probabilities;
    private final Operand<TFloat32> logits;
    private final Operand<TFloat32> loss;
    private final InputShape input;
    private final int numClasses;

    /** {@code regularized} adds the network's regularization terms to the loss, as the training loss has them. */
    EvaluationPass(Ops tf, NetworkGraph model, Loss lossFunction, InputShape input,
                   int numClasses, UnaryOperator<Operand<TFloat32>> regularized) {
        Ops eval = tf.withSubScope("eval");
        this.input = input;
        this.numClasses = numClasses;
        images = eval.placeholder(TFloat32.class, Placeholder.shape(ClassifierOutput.inputShape(input)));
        labels = eval.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, numClasses)));
        logits = model.logits(eval, images, false);
        probabilities = ClassifierOutput.probabilities(eval, logits, numClasses);
        loss = regularized.apply(lossFunction.compute(eval, labels, logits, numClasses));
    }

    /** Class probabilities {@code [n, K]} (row-major) for {@code set}, computed in chunks. */
    float[] probabilities(Session session, Images set, int chunk) {
        return fetch(session, set, chunk, probabilities, numClasses);
    }

    /** The logits {@code [n, units]} (row-major; units K, or 1 for two classes) for {@code set}, in chunks. */
    float[] logits(Session session, Images set, int chunk) {
        return fetch(session, set, chunk, logits, numClasses == 2 ? 1 : numClasses);
    }

    private float[] fetch(Session session, Images set, int chunk, Operand<TFloat32> what, int width) {
        int n = set.size();
        float[] out = new float[n * width];
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            try (TFloat32 x = TrainingGraph.imageTensor(set.pixels(), input, from, to);
                 var r = session.runner().feed(images, x).fetch(what).run()) {
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false).slice((long) from * width,
                        (long) (to - from) * width));
            }
        }
        return out;
    }

    /**
     * The loss on {@code set}, as Keras reports validation loss: the mean over consecutive batches of
     * {@code batchSize} (matters for losses that are not per-sample means).
     */
    double loss(Session session, Images set, int batchSize) {
        float[] oneHot = OneHot.encode(set.labels(), numClasses);
        double sum = 0;
        int batches = 0;
        for (int from = 0; from < set.size(); from += batchSize) {
            int to = Math.min(set.size(), from + batchSize);
            try (TFloat32 x = TrainingGraph.imageTensor(set.pixels(), input, from, to);
                 TFloat32 y = TFloat32.tensorOf(Shape.of(to - from, numClasses),
                         DataBuffers.of(oneHot, true, false).slice((long) from * numClasses, (long) (to - from) * numClasses));
                 var r = session.runner().feed(images, x).feed(labels, y).fetch(loss).run()) {
                sum += ((TFloat32) r.get(0)).getFloat();
                batches++;
            }
        }
        return batches == 0 ? Double.NaN : sum / batches;
    }
}
