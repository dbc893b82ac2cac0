package dev.losslab.train;

import java.util.Map;
import org.tensorflow.Graph;

/** Where a traced session call's time went, by the kernel each node ran (what {@code bench --profile} prints). */
final class KernelTimes {
    private KernelTimes() {
    }

    /** Adds each node's start-to-end microseconds of {@code metadata}'s step stats to {@code microsByKernel}. */
    static void add(org.tensorflow.proto.RunMetadata metadata, Graph graph, Map<String, Long> microsByKernel) {
        for (var device : metadata.getStepStats().getDevStatsList()) {
            for (var node : device.getNodeStatsList()) {
                microsByKernel.merge(kernel(node.getTimelineLabel(), node.getNodeName(), graph), node.getOpEndRelMicros(),
                        Long::sum);
            }
        }
    }

    /**
     * The kernel a traced node ran, from TF's timeline label ("name = Type(inputs)"): after grappler's rewrites
     * this names the fused or oneDNN kernel (e.g. {@code _FusedConv2D}, {@code _MklNativeConv2DBackpropFilter})
     * rather than the op written in the graph.
     */
    static String kernel(String label, String nodeName, Graph graph) {
        int eq = label.indexOf(" = ");
        int paren = label.indexOf('(', Math.max(0, eq));
        if (eq > 0 && paren > eq) {
            return label.substring(eq + 3, paren).trim();
        }
        var op = graph.operation(nodeName);
        return op == null ? nodeName : op.type();
    }
}
