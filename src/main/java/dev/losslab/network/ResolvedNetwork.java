package dev.losslab.network;

import dev.losslab.network.layers.ResolvedLayer;
import dev.losslab.network.layers.Weight;
import dev.losslab.network.layers.LayerSpec;
import dev.losslab.data.InputShape;
import dev.losslab.LosslabException;
import dev.losslab.network.layers.KerasLayer;
import dev.losslab.network.layers.LayerKinds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link NetworkSpec} resolved for an input shape and a number of classes: each layer's output
 * shape and weights (name, shape, trainable or not, initializer), with parameter counts as Keras'
 * {@code model.summary()} gives them (Conv2D k_h k_w c_in filters + filters; Dense in units + units;
 * BatchNormalization 2C trainable + 2C non-trainable). The output layer must give K units (1 for two
 * classes, a sigmoid logit); a final softmax or sigmoid is recognised and left out of the graph,
 * since losses work on logits ({@link #strippedActivation}).
 */
public record ResolvedNetwork(NetworkSpec spec, InputShape input, int numClasses, List<ResolvedLayer> layers,
                              String strippedActivation) {



    /** Units of the output layer on {@code input} (a Keras file's class count: 1 unit means two classes). */
    public static int outputClasses(NetworkSpec spec, InputShape input) {
        List<ResolvedLayer> layers = layers(spec, input);
        int[] os = layers.get(layers.size() - 1).outputShape();
        if (os.length != 1) {
            throw new LosslabException("the output layer gives " + fmt(os) + "; a classifier ends in units");
        }
        return os[0] == 1 ? 2 : os[0];
    }

    /** Shapes and weights only, without the classifier-output checks (single-layer checks, summaries of parts). */
    public static ResolvedNetwork shapesOnly(NetworkSpec spec, InputShape input) {
        return new ResolvedNetwork(spec, input, 0, layers(spec, input), null);
    }

    public static ResolvedNetwork resolve(NetworkSpec spec, InputShape input, int numClasses) {
        List<ResolvedLayer> out = layers(spec, input);
        return checked(spec, input, numClasses, out);
    }

    private static List<ResolvedLayer> layers(NetworkSpec spec, InputShape input) {
        int[] declared = spec.declaredInput();
        if (declared != null) {
            int[] actual = {input.height(), input.width(), input.channels()};
            for (int i = 0; i < 3; i++) {
                if (declared[i] > 0 && declared[i] != actual[i]) {
                    throw new LosslabException("the network takes input " + fmt(declared) + " but the data give "
                            + input + "; set data.imageSize / colorMode, or the model's input shape");
                }
            }
        }
        Map<String, int[]> shapes = new HashMap<>();
        String inputName = null;
        List<ResolvedLayer> out = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec l = spec.layers().get(i);
            String where = l.where(i);
            List<int[]> in = new ArrayList<>();
            for (String from : l.inbound()) {
                int[] s = shapes.get(from);
                if (s == null) {
                    if (inputName == null || inputName.equals(from)) {
                        inputName = from;
                        s = new int[] {input.height(), input.width(), input.channels()};
                    } else {
                        throw new LosslabException(where + ": input '" + from + "' is not built before it");
                    }
                }
                in.add(s);
            }
            ResolvedLayer r = resolveLayer(l, in, where);
            shapes.put(l.name(), r.outputShape());
            out.add(r);
        }
        return out;
    }

    private static ResolvedNetwork checked(NetworkSpec spec, InputShape input, int numClasses, List<ResolvedLayer> out) {
        ResolvedLayer last = out.stream().filter(x -> x.spec().name().equals(spec.output())).findFirst()
                .orElseThrow(() -> new LosslabException("the output layer '" + spec.output() + "' is not in the model"));
        if (out.get(out.size() - 1) != last) {
            throw new LosslabException("the output layer '" + spec.output() + "' must be built last");
        }
        String stripped = null;
        String act = last.spec().className().equals("Activation") || last.spec().className().equals("Dense")
                ? last.activation() : "linear";
        if (act.equals("softmax") || act.equals("sigmoid")) {
            stripped = act;
        }
        int[] os = last.outputShape();
        int want = numClasses == 2 ? 1 : numClasses;
        if (os.length != 1 || os[0] != want) {
            throw new LosslabException("the output layer '" + last.spec().name() + "' gives " + fmt(os) + "; for "
                    + numClasses + " classes it must give " + want + " unit" + (want == 1 ? " (one sigmoid logit)" : "s"));
        }
        if (stripped != null && (numClasses == 2) != stripped.equals("sigmoid")) {
            throw new LosslabException("the output layer ends in " + stripped + ", which does not fit " + numClasses
                    + " classes (two classes: 1 unit + sigmoid; more: K units + softmax)");
        }
        return new ResolvedNetwork(spec, input, numClasses, out, stripped);
    }

    private static ResolvedLayer resolveLayer(LayerSpec l, List<int[]> in, String where) {
        return LayerKinds.of(l.className(), where).resolve(l, in, where);
    }

    static String fmt(int[] s) {
        return KerasLayer.fmt(s);
    }

    /**
     * Forward FLOPs per image, multiply-adds counted as 2: Conv2D out_h out_w k_h k_w c_in filters,
     * Dense in units (biases, activations, pooling and normalisation not counted), as
     * the notebook's fixed-network reference (test code, {@code CnnArchitecture}) counts it.
     */
    public double forwardFlops() {
        double f = 0;
        for (ResolvedLayer l : layers) {
            for (Weight w : l.weights()) {
                if (!w.role().endsWith("kernel")) {
                    continue;
                }
                int[] o = l.outputShape();
                double cells = o.length == 3 ? (double) o[0] * o[1] : 1;
                f += 2.0 * cells * w.size();
            }
        }
        return f;
    }

    public long trainableParams() {
        return layers.stream().mapToLong(ResolvedLayer::trainableParams).sum();
    }

    public long nonTrainableParams() {
        return layers.stream().mapToLong(ResolvedLayer::nonTrainableParams).sum();
    }

    /** Every weight in build order (the order the seeded initial values are drawn in). */
    public List<Weight> weights() {
        return layers.stream().flatMap(l -> l.weights().stream()).toList();
    }

    /**
     * Keras' {@code model.summary()} table (Keras 2's plain layout); a functional network (any layer not fed by the
     * one before it) gets Keras' "Connected to" column, each input as {@code name[0][0]}.
     */
    public String summary() {
        boolean functional = false;
        String previous = null;
        for (ResolvedLayer l : layers) {
            functional |= l.spec().inbound().size() != 1 || previous != null && !l.spec().inbound().get(0).equals(previous);
            previous = l.spec().name();
        }
        int width = functional ? 120 : 78;
        StringBuilder sb = new StringBuilder();
        String rule = "_".repeat(width) + "\n";
        String row = functional ? " %-33s%-28s%-12s%s%n" : " %-33s%-28s%-16s%n";
        sb.append("Model: \"").append(spec.name()).append("\"\n").append(rule);
        sb.append(functional ? String.format(Locale.ROOT, "%-34s%-28s%-12s%s%n", " ResolvedLayer (type)", "Output Shape", "Param #",
                "Connected to") : String.format(Locale.ROOT, "%-34s%-28s%-16s%n", " ResolvedLayer (type)", "Output Shape", "Param #"));
        sb.append("=".repeat(width)).append('\n');
        String inputName = layers.isEmpty() || layers.get(0).spec().inbound().isEmpty() ? "input"
                : layers.get(0).spec().inbound().get(0);
        sb.append(String.format(Locale.ROOT, row, inputName + " (InputLayer)",
                fmt(new int[] {input.height(), input.width(), input.channels()}), "0", functional ? "" : null).stripTrailing())
                .append('\n');
        for (ResolvedLayer l : layers) {
            String name = l.spec().name() + " (" + l.spec().className() + ")";
            String connected = String.join(", ", l.spec().inbound().stream().map(n -> n + "[0][0]").toList());
            sb.append(String.format(Locale.ROOT, row, name.length() > 32 ? name.substring(0, 29) + "..." : name,
                    fmt(l.outputShape()), String.valueOf(l.trainableParams() + l.nonTrainableParams()),
                    functional ? connected : null).stripTrailing()).append('\n');
        }
        sb.append("=".repeat(width)).append('\n');
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", trainableParams() + nonTrainableParams()));
        sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainableParams()));
        sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", nonTrainableParams()));
        sb.append(rule);
        if (strippedActivation != null) {
            sb.append("note: the final ").append(strippedActivation).append(" is left out of the training graph: losses take "
                    + "logits, and the SavedModel outputs probabilities\n");
        }
        return sb.toString();
    }
}
