package dev.losslab.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import dev.losslab.data.Images;
import dev.losslab.loss.CrossEntropyLoss;
import dev.losslab.train.Benchmark;
import dev.losslab.train.Device;
import dev.losslab.train.TrainingGraph;
import dev.losslab.train.TrainingOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

class CnnGraphTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 10})
    void probabilitiesHaveShapeNKAndAreDistributions(int k) {
        Images images = Benchmark.synthetic(37, k, 5);
        try (TrainingGraph g = new TrainingGraph(k, ModelSpec.NOTEBOOK, new CrossEntropyLoss(),
                new TrainingOptions(1, 32, 1e-3, 1, Device.CPU, 1), 1)) {
            float[] p = g.probabilities(images, 16); // chunks of 16, 16, 5
            assertEquals(37 * k, p.length);
            for (int i = 0; i < 37; i++) {
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    float v = p[i * k + c];
                    assertTrue(v > 0 && v < 1, "p=" + v);
                    sum += v;
                }
                assertEquals(1.0, sum, 1e-5);
            }
        }
    }

    @Test
    void featureMapsAndFlattenFollowThePadding() {
        // the course page: 28 -> 14 -> 7 -> 4 with "same"; Keras' default "valid": 26, 13, 11, 5, 3, 1
        assertEquals(4, ModelSpec.NOTEBOOK.finalSide());
        assertEquals(512, ModelSpec.NOTEBOOK.flatSize());
        assertEquals(1, ModelSpec.VALID.finalSide());
        assertEquals(32, ModelSpec.VALID.flatSize());
        assertEquals(ModelSpec.Padding.SAME, new ModelSpec(null).padding());
        assertEquals(1, ModelSpec.Padding.SAME.padBefore(28, 3, 1));
        assertEquals(0, ModelSpec.Padding.SAME.padBefore(7, 2, 2)); // total 1: all at the bottom/right
        assertThrows(LosslabException.class, () -> ModelSpec.Padding.parse("full"));
    }

    @Test
    void parameterCountMatchesKerasSummary() {
        // Keras model.summary() for the valid network, K=2: 640 + 18464 + 9248 + 3300 + 101 = 31,753;
        // for the course page's same network: 640 + 18464 + 9248 + 51300 + 101 = 79,753
        assertEquals(31_753, count(ModelSpec.VALID, 2));
        assertEquals(31_753 - 101 + 1010, count(ModelSpec.VALID, 10));
        assertEquals(79_753, count(ModelSpec.NOTEBOOK, 2));
        assertEquals(79_753 - 101 + 1010, count(ModelSpec.NOTEBOOK, 10));
    }

    private static long count(ModelSpec spec, int k) {
        return CnnArchitecture.shapes(spec, k).stream().mapToLong(p -> p.values().length).sum();
    }

    @Test
    void glorotInitIsSeededAndBounded() {
        List<Parameter> a = CnnArchitecture.initialParameters(ModelSpec.NOTEBOOK, 2, 7);
        List<Parameter> b = CnnArchitecture.initialParameters(ModelSpec.NOTEBOOK, 2, 7);
        assertBound(a.get(2), Math.sqrt(6.0 / (9 * 64 + 9 * 32)));
        assertBound(a.get(6), Math.sqrt(6.0 / (512 + 100))); // dense fans: 4 x 4 x 32 in, 100 out
        assertBound(CnnArchitecture.initialParameters(ModelSpec.VALID, 2, 7).get(6), Math.sqrt(6.0 / (32 + 100)));
        assertEquals(java.util.Arrays.hashCode(a.get(2).values()), java.util.Arrays.hashCode(b.get(2).values()));
        for (float v : a.get(1).values()) {
            assertEquals(0f, v);
        }
    }

    private static void assertBound(Parameter p, double limit) {
        double max = 0;
        for (float v : p.values()) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= limit && max > 0.9 * limit, p.name() + ": max |w| " + max + " vs limit " + limit);
    }

    /** The whole network in float64 against the plain-Java reference below, both paddings, K = 2 and 3. */
    @ParameterizedTest
    @EnumSource(ModelSpec.Padding.class)
    void forwardMatchesPlainJavaReference(ModelSpec.Padding padding) {
        ModelSpec spec = new ModelSpec(padding);
        for (int k : new int[] {2, 3}) {
            SplittableRandom r = new SplittableRandom(11 + k);
            int batch = 2;
            double[] x = random(r, batch * 28 * 28, 0, 1);
            List<Parameter> shapes = CnnArchitecture.shapes(spec, k);
            List<double[]> params = new ArrayList<>();
            for (Parameter p : shapes) {
                params.add(random(r, p.values().length, -0.3, 0.3));
            }
            double[] got;
            try (Graph g = new Graph(); Session s = new Session(g)) {
                Ops tf = Ops.create(g);
                List<Operand<TFloat64>> ops = new ArrayList<>();
                for (int i = 0; i < shapes.size(); i++) {
                    ops.add(tf.constant(Shape.of(shapes.get(i).shape()), DataBuffers.of(params.get(i), true, false)));
                }
                var images = tf.constant(Shape.of(batch, 28, 28, 1), DataBuffers.of(x, true, false));
                var logits = CnnGraph.forward(tf, spec, images, ops);
                try (var res = s.runner().fetch(logits).run()) {
                    TFloat64 t = (TFloat64) res.get(0);
                    got = new double[(int) t.size()];
                    t.copyTo(DataBuffers.of(got, false, false));
                }
            }
            double[] want = ReferenceCnn.logits(spec, x, batch, params, CnnArchitecture.outputUnits(k));
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-9 * Math.max(1, Math.abs(want[i])), padding + " K=" + k + " logit " + i);
            }
        }
    }

    /** SAME max pooling 7x7 -> 4x4 on negative values: padded cells (bottom/right) never win. */
    @Test
    void sameMaxPoolPadsBottomRightWithCellsThatNeverWin() {
        SplittableRandom r = new SplittableRandom(3);
        double[] x = random(r, 7 * 7 * 2, -5, -1);
        double[] got;
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var in = tf.constant(Shape.of(1, 7, 7, 2), DataBuffers.of(x, true, false));
            var pooled = CnnGraph.maxPool2x2(tf, in, ModelSpec.Padding.SAME);
            try (var res = s.runner().fetch(pooled).run()) {
                TFloat64 t = (TFloat64) res.get(0);
                assertEquals(Shape.of(1, 4, 4, 2), t.shape());
                got = new double[(int) t.size()];
                t.copyTo(DataBuffers.of(got, false, false));
            }
        }
        double[] want = ReferenceCnn.maxPool(x, 1, 7, 2, ModelSpec.Padding.SAME);
        assertEquals(4 * 4 * 2, want.length);
        for (int i = 0; i < want.length; i++) {
            assertTrue(want[i] < 0, "a padded cell won");
            assertEquals(want[i], got[i], 0);
        }
        // the last output row/column see only the input's last row/column: e.g. (3, 3) is x(6, 6)
        assertEquals(x[(6 * 7 + 6) * 2 + 1], got[(3 * 4 + 3) * 2 + 1], 0);
    }

    private static double[] random(SplittableRandom r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return v;
    }
}
