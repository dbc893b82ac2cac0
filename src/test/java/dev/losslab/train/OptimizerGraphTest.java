package dev.losslab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.recipe.LearningRate;
import dev.losslab.recipe.Adagrad;
import dev.losslab.recipe.Adam;
import dev.losslab.recipe.Adamax;
import dev.losslab.recipe.Nadam;
import dev.losslab.recipe.Optimizer;
import dev.losslab.recipe.RMSprop;
import dev.losslab.recipe.SGD;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Each optimizer's TF update against a plain-Java float64 reference written from Keras 3's {@code update_step}
 * code, for six steps under a decaying learning rate, on a loss whose gradient is known in closed form:
 * {@code L = sum(c * w^2) / 2 + sum(a * w)}, so {@code g = c * w + a}. Momentum, nesterov, decoupled weight
 * decay, amsgrad, centered RMSprop, Adagrad's accumulator, Nadam's momentum schedule and the three clippings.
 */
class OptimizerGraphTest {
    private static final double[] W0 = {0.5, -1.5, 2.0, 0.25, -0.75};
    private static final double[] C = {1.0, 3.0, 0.5, 2.0, 8.0};
    private static final double[] A = {0.1, -0.2, 0.3, 0.05, 0.4};
    private static final int STEPS = 6;

    static Optimizer parse(String json) throws Exception {
        return Optimizer.parse("optimizer", new ObjectMapper().readTree(json));
    }

    /** The weights after each step, from TensorFlow. */
    static double[][] tf(Optimizer o) {
        LearningRate rate = o.learningRate().inSteps(1);
        double[][] out = new double[STEPS][];
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            float[] w0 = new float[W0.length];
            float[] c = new float[W0.length];
            float[] a = new float[W0.length];
            for (int i = 0; i < W0.length; i++) {
                w0[i] = (float) W0[i];
                c[i] = (float) C[i];
                a[i] = (float) A[i];
            }
            // two variables so the global norm and per-variable norm differ
            Variable<TFloat32> v1 = tf.variable(tf.constant(java.util.Arrays.copyOfRange(w0, 0, 2)));
            Variable<TFloat32> v2 = tf.variable(tf.constant(java.util.Arrays.copyOfRange(w0, 2, 5)));
            // read through identity: TF's C++ SquareGrad crashes on a ref variable input
            var r1 = tf.identity(v1);
            var r2 = tf.identity(v2);
            var l1 = tf.math.add(tf.math.mul(tf.constant(0.5f), tf.reduceSum(tf.math.mul(tf.constant(java.util.Arrays
                    .copyOfRange(c, 0, 2)), tf.math.square(r1)), tf.constant(0))), tf.reduceSum(tf.math.mul(
                    tf.constant(java.util.Arrays.copyOfRange(a, 0, 2)), r1), tf.constant(0)));
            var l2 = tf.math.add(tf.math.mul(tf.constant(0.5f), tf.reduceSum(tf.math.mul(tf.constant(java.util.Arrays
                    .copyOfRange(c, 2, 5)), tf.math.square(r2)), tf.constant(0))), tf.reduceSum(tf.math.mul(
                    tf.constant(java.util.Arrays.copyOfRange(a, 2, 5)), r2), tf.constant(0)));
            var loss = tf.math.add(l1, l2);
            var lr = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            var t = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            var step = OptimizerGraph.build(tf, o, loss, List.of(v1, v2), lr, t);
            s.initialize();
            for (int k = 0; k < STEPS; k++) {
                try (TFloat32 lrv = TFloat32.scalarOf((float) rate.at(k)); TFloat32 tv = TFloat32.scalarOf(k + 1)) {
                    s.runner().feed(lr, lrv).feed(t, tv).addTarget(step).run();
                }
                try (var r = s.runner().fetch(v1).fetch(v2).run()) {
                    double[] w = new double[W0.length];
                    TFloat32 x1 = (TFloat32) r.get(0);
                    TFloat32 x2 = (TFloat32) r.get(1);
                    for (int i = 0; i < 2; i++) {
                        w[i] = x1.getFloat(i);
                    }
                    for (int i = 0; i < 3; i++) {
                        w[2 + i] = x2.getFloat(i);
                    }
                    out[k] = w;
                }
            }
        }
        return out;
    }

    /** The same steps in float64, Keras' update rules written out here. */
    static double[][] reference(Optimizer o) {
        LearningRate rate = o.learningRate().inSteps(1);
        int n = W0.length;
        double[] w = W0.clone();
        double[] m = new double[n];
        double[] v = new double[n];
        double[] vhat = new double[n];
        double[] avg = new double[n];
        double[] mom = new double[n];
        double[] acc = new double[n];
        if (o instanceof Adagrad a) {
            java.util.Arrays.fill(acc, a.initialAccumulator());
        }
        double uProduct = 1;
        double[][] out = new double[STEPS][];
        for (int k = 0; k < STEPS; k++) {
            double lr = (float) rate.at(k);
            double t = k + 1;
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = C[i] * w[i] + A[i];
            }
            g = clip(o, g);
            if (o.weightDecay() != null) {
                for (int i = 0; i < n; i++) {
                    w[i] -= w[i] * o.weightDecay() * lr;
                }
            }
            if (o instanceof Nadam na) {
                uProduct *= na.beta1() * (1 - 0.5 * Math.pow(0.96, t));
            }
            for (int i = 0; i < n; i++) {
                switch (o) {
                    case SGD sgd -> {
                        if (sgd.momentum() == 0) {
                            w[i] -= g[i] * lr;
                        } else {
                            m[i] = m[i] * sgd.momentum() - g[i] * lr;
                            w[i] += sgd.nesterov() ? m[i] * sgd.momentum() - g[i] * lr : m[i];
                        }
                    }
                    case Adam a -> {
                        double alpha = lr * Math.sqrt(1 - Math.pow(a.beta2(), t)) / (1 - Math.pow(a.beta1(), t));
                        m[i] += (g[i] - m[i]) * (1 - a.beta1());
                        v[i] += (g[i] * g[i] - v[i]) * (1 - a.beta2());
                        double vv = v[i];
                        if (a.amsgrad()) {
                            vhat[i] = Math.max(vhat[i], v[i]);
                            vv = vhat[i];
                        }
                        w[i] -= m[i] * alpha / (Math.sqrt(vv) + a.epsilon());
                    }
                    case RMSprop r -> {
                        v[i] = r.rho() * v[i] + (1 - r.rho()) * g[i] * g[i];
                        double denominator;
                        if (r.centered()) {
                            avg[i] = r.rho() * avg[i] + (1 - r.rho()) * g[i];
                            denominator = v[i] - avg[i] * avg[i] + r.epsilon();
                        } else {
                            denominator = v[i] + r.epsilon();
                        }
                        double increment = lr * g[i] / Math.sqrt(denominator);
                        if (r.momentum() > 0) {
                            mom[i] = r.momentum() * mom[i] + increment;
                            w[i] -= mom[i];
                        } else {
                            w[i] -= increment;
                        }
                    }
                    case Adagrad a -> {
                        acc[i] += g[i] * g[i];
                        w[i] -= lr * g[i] / Math.sqrt(acc[i] + a.epsilon());
                    }
                    case Adamax ax -> {
                        m[i] += (g[i] - m[i]) * (1 - ax.beta1());
                        v[i] = Math.max(ax.beta2() * v[i], Math.abs(g[i]));
                        w[i] -= lr * m[i] / ((1 - Math.pow(ax.beta1(), t)) * (v[i] + ax.epsilon()));
                    }
                    case Nadam na -> {
                        double uT = na.beta1() * (1 - 0.5 * Math.pow(0.96, t));
                        double uT1 = na.beta1() * (1 - 0.5 * Math.pow(0.96, t + 1));
                        double uProductT1 = uProduct * uT1;
                        m[i] += (g[i] - m[i]) * (1 - na.beta1());
                        v[i] += (g[i] * g[i] - v[i]) * (1 - na.beta2());
                        double mHat = uT1 * m[i] / (1 - uProductT1) + (1 - uT) * g[i] / (1 - uProduct);
                        double vHat = v[i] / (1 - Math.pow(na.beta2(), t));
                        w[i] -= mHat * lr / (Math.sqrt(vHat) + na.epsilon());
                    }
                    default -> throw new IllegalStateException(o.kind());
                }
            }
            out[k] = w.clone();
        }
        return out;
    }

    /** Keras' _clip_gradients: per variable (first two weights, last three), global, or by value. */
    static double[] clip(Optimizer o, double[] g) {
        double[] c = g.clone();
        if (o.clipnorm() != null) {
            for (int[] part : new int[][] {{0, 2}, {2, 5}}) {
                double sum = 0;
                for (int i = part[0]; i < part[1]; i++) {
                    sum += g[i] * g[i];
                }
                double norm = Math.sqrt(sum);
                for (int i = part[0]; i < part[1]; i++) {
                    c[i] = g[i] * o.clipnorm() / Math.max(norm, o.clipnorm());
                }
            }
        } else if (o.globalClipnorm() != null) {
            double sum = 0;
            for (double x : g) {
                sum += x * x;
            }
            double scale = o.globalClipnorm() * Math.min(1 / Math.sqrt(sum), 1 / o.globalClipnorm());
            for (int i = 0; i < g.length; i++) {
                c[i] = g[i] * scale;
            }
        } else if (o.clipvalue() != null) {
            for (int i = 0; i < g.length; i++) {
                c[i] = Math.max(-o.clipvalue(), Math.min(o.clipvalue(), g[i]));
            }
        }
        return c;
    }

    static final String DECAY = "{\"ExponentialDecay\": {\"initial_learning_rate\": %s, \"decay_steps\": 2, \"decay_rate\": 0.7}}";

    @Test
    void everyOptimizerMatchesKerasUpdateRuleInFloat64() throws Exception {
        List<String> configs = List.of(
                "{\"SGD\": {\"learning_rate\": " + DECAY.formatted(0.05) + "}}",
                "{\"SGD\": {\"learning_rate\": " + DECAY.formatted(0.05) + ", \"momentum\": 0.9}}",
                "{\"SGD\": {\"learning_rate\": 0.05, \"momentum\": 0.9, \"nesterov\": true, \"weight_decay\": 0.01}}",
                "{\"Adam\": {\"learning_rate\": " + DECAY.formatted(0.1) + "}}",
                "{\"Adam\": {\"learning_rate\": 0.1, \"amsgrad\": true, \"beta_1\": 0.8}}",
                "{\"AdamW\": {\"learning_rate\": 0.1}}",
                "{\"AdamW\": {\"learning_rate\": 0.1, \"weight_decay\": 0.1, \"amsgrad\": true}}",
                "{\"RMSprop\": {\"learning_rate\": 0.05}}",
                "{\"RMSprop\": {\"learning_rate\": 0.05, \"momentum\": 0.5, \"centered\": true, \"rho\": 0.8}}",
                "{\"Adagrad\": {\"learning_rate\": 0.2}}",
                "{\"Nadam\": {\"learning_rate\": " + DECAY.formatted(0.1) + "}}",
                "{\"Adamax\": {\"learning_rate\": " + DECAY.formatted(0.1) + "}}",
                "{\"Adamax\": {\"learning_rate\": 0.05, \"beta_1\": 0.8, \"weight_decay\": 0.01}}",
                "{\"SGD\": {\"learning_rate\": 0.05, \"momentum\": 0.9, \"clipnorm\": 1.0}}",
                "{\"Adam\": {\"learning_rate\": 0.1, \"global_clipnorm\": 0.5}}",
                "{\"RMSprop\": {\"learning_rate\": 0.05, \"clipvalue\": 0.3}}");
        List<String> failures = new ArrayList<>();
        for (String json : configs) {
            Optimizer o = parse(json);
            double[][] got = tf(o);
            double[][] want = reference(o);
            double moved = 0;
            for (int k = 0; k < STEPS; k++) {
                for (int i = 0; i < W0.length; i++) {
                    // float32 against float64: Adam's large steps (lr 0.1) carry a few 1e-6 of rounding; a wrong
                    // formula (a missing bias correction, momentum sign, decay order) is off by 1e-3 or more
                    double tol = 1e-5 * Math.max(1, Math.abs(want[k][i]));
                    if (Math.abs(got[k][i] - want[k][i]) > tol) {
                        failures.add(json + " step " + (k + 1) + " w" + i + ": " + got[k][i] + " vs " + want[k][i]);
                    }
                    moved = Math.max(moved, Math.abs(want[k][i] - W0[i]));
                }
            }
            assertTrue(moved > 1e-3, "the weights move: " + json);
        }
        assertEquals(List.of(), failures);
    }
}
