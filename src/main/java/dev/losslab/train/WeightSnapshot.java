package dev.losslab.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Copies of a network's variables taken and put back, as Keras' {@code get_weights} / {@code set_weights}: what
 * EarlyStopping's {@code restore_best_weights} needs. The assign ops are built on first use, so a run that never
 * restores keeps the graph it had.
 */
final class WeightSnapshot {
    private final Graph graph;
    private final List<Variable<TFloat32>> variables;
    private List<Placeholder<TFloat32>> inputs;
    private Op restoreAll;

    WeightSnapshot(Graph graph, List<Variable<TFloat32>> variables) {
        this.graph = graph;
        this.variables = variables;
    }

    /** A copy of every variable's current value. */
    List<float[]> take(Session session) {
        var runner = session.runner();
        for (var v : variables) {
            runner.fetch(v);
        }
        List<float[]> out = new ArrayList<>();
        try (var r = runner.run()) {
            for (int i = 0; i < variables.size(); i++) {
                TFloat32 t = (TFloat32) r.get(i);
                float[] values = new float[(int) t.shape().size()];
                t.copyTo(DataBuffers.of(values, false, false));
                out.add(values);
            }
        }
        return out;
    }

    /** Puts back values taken by {@link #take}. */
    void restore(Session session, List<float[]> values) {
        if (restoreAll == null) {
            Ops tf = Ops.create(graph).withSubScope("restore");
            inputs = new ArrayList<>();
            List<Op> assigns = new ArrayList<>();
            for (var v : variables) {
                var p = tf.placeholder(TFloat32.class, Placeholder.shape(v.shape()));
                inputs.add(p);
                assigns.add(tf.assign(v, p));
            }
            restoreAll = tf.withControlDependencies(assigns).noOp();
        }
        var runner = session.runner().addTarget(restoreAll);
        List<TFloat32> tensors = new ArrayList<>();
        try {
            for (int i = 0; i < variables.size(); i++) {
                TFloat32 t = TFloat32.tensorOf(variables.get(i).shape(), DataBuffers.of(values.get(i), true, false));
                tensors.add(t);
                runner.feed(inputs.get(i), t);
            }
            runner.run().close();
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }
}
