package dev.losslab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The in-graph count of right answers behind the logged training accuracy, against counting by hand. */
class BatchAccuracyTest {
    @Test
    void countsArgmaxAndSigmoidSides() {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var three = TrainingGraph.correct(tf, tf.constant(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 1}}),
                    tf.constant(new float[][] {{3, 1, 2}, {0, -1, 2}, {0, 1, 5}, {9, 1, 5}}), 3);
            // two classes: one sigmoid logit, class 1 when > 0
            var two = TrainingGraph.correct(tf, tf.constant(new float[][] {{1, 0}, {0, 1}, {0, 1}}),
                    tf.constant(new float[][] {{-0.5f}, {0.2f}, {-3f}}), 2);
            try (var r = s.runner().fetch(three).fetch(two).run()) {
                assertEquals(2f, ((TFloat32) r.get(0)).getFloat(), "rows 0 and 2 right");
                assertEquals(2f, ((TFloat32) r.get(1)).getFloat(), "rows 0 and 1 right");
            }
        }
    }
}
