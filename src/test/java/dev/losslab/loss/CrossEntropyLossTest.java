package dev.losslab.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/** Value against a plain-Java transcription, gradient against central finite differences (float64). */
class CrossEntropyLossTest {

    private static double[] valueAndGradient(double[] labels, double[] logits, int b, int k, int units, double[] gradOut) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var x = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(b, units)));
            Operand<TFloat64> y = tf.constant(Shape.of(b, k), DataBuffers.of(labels));
            Operand<TFloat64> loss = new CrossEntropyLoss().compute(tf, y, x, k);
            var grad = tf.gradients(loss, java.util.List.of(x));
            try (TFloat64 in = TFloat64.tensorOf(Shape.of(b, units), DataBuffers.of(logits));
                 var r = s.runner().feed(x, in).fetch(loss).fetch(grad.dy(0)).run()) {
                ((TFloat64) r.get(1)).copyTo(DataBuffers.of(gradOut, false, false));
                return new double[] {((TFloat64) r.get(0)).getDouble()};
            }
        }
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void binaryValueAndGradient() {
        double[] y = {1, 0, 0, 1, 1, 0, 0, 1}; // one-hot rows: class 0, class 1, class 0, class 1
        double[] x = {-2.5, 3.0, 0.1, 12.0};
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            double p = sigmoid(x[i]);
            double t = y[2 * i + 1];
            expected += -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
        }
        expected /= 4;
        double[] grad = new double[4];
        double value = valueAndGradient(y, x, 4, 2, 1, grad)[0];
        assertEquals(expected, value, 1e-9);
        checkFiniteDifferences(y, x, 4, 2, 1, grad);
    }

    @Test
    void categoricalValueAndGradientIncludingOneClassBatch() {
        double[] y = {1, 0, 0, 1, 0, 0, 1, 0, 0}; // only class 0 present
        double[] x = {0.3, -1.2, 2.0, 1.0, 1.0, 1.0, -3.0, 0.5, 0.0};
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            double max = Math.max(x[3 * i], Math.max(x[3 * i + 1], x[3 * i + 2]));
            double z = 0;
            for (int c = 0; c < 3; c++) {
                z += Math.exp(x[3 * i + c] - max);
            }
            expected -= x[3 * i] - max - Math.log(z);
        }
        expected /= 3;
        double[] grad = new double[9];
        assertEquals(expected, valueAndGradient(y, x, 3, 3, 3, grad)[0], 1e-9);
        checkFiniteDifferences(y, x, 3, 3, 3, grad);
    }

    private static void checkFiniteDifferences(double[] y, double[] x, int b, int k, int units, double[] grad) {
        double h = 1e-6;
        double[] scratch = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (valueAndGradient(y, plus, b, k, units, scratch)[0]
                    - valueAndGradient(y, minus, b, k, units, scratch)[0]) / (2 * h);
            assertEquals(numeric, grad[i], 1e-6, "d loss / d logit " + i);
        }
    }
}
