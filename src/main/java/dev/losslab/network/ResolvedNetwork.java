package dev.losslab.network;

import dev.losslab.LosslabException;
import dev.losslab.model.InputShape;
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
public record ResolvedNetwork(NetworkSpec spec, InputShape input, int numClasses, List<Layer> layers,
                              String strippedActivation) {

    /** One weight: "conv1/kernel", its shape, whether the optimizer trains it, its initializer. */
    public record Weight(String name, long[] shape, boolean trainable, Map<String, Object> initializer, String role) {
        public long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** A layer with its output shape (without the batch) and weights. */
    public record Layer(LayerSpec spec, int[] outputShape, List<Weight> weights) {
        public long trainableParams() {
            return weights.stream().filter(Weight::trainable).mapToLong(Weight::size).sum();
        }

        public long nonTrainableParams() {
            return weights.stream().filter(w -> !w.trainable()).mapToLong(Weight::size).sum();
        }
    }

    /** Units of the output layer on {@code input} (a Keras file's class count: 1 unit means two classes). */
    public static int outputClasses(NetworkSpec spec, InputShape input) {
        List<Layer> layers = layers(spec, input);
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
        List<Layer> out = layers(spec, input);
        return checked(spec, input, numClasses, out);
    }

    private static List<Layer> layers(NetworkSpec spec, InputShape input) {
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
        List<Layer> out = new ArrayList<>();
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
            Layer r = resolveLayer(l, in, where);
            shapes.put(l.name(), r.outputShape());
            out.add(r);
        }
        return out;
    }

    private static ResolvedNetwork checked(NetworkSpec spec, InputShape input, int numClasses, List<Layer> out) {
        Layer last = out.stream().filter(x -> x.spec().name().equals(spec.output())).findFirst()
                .orElseThrow(() -> new LosslabException("the output layer '" + spec.output() + "' is not in the model"));
        if (out.get(out.size() - 1) != last) {
            throw new LosslabException("the output layer '" + spec.output() + "' must be built last");
        }
        String stripped = null;
        String act = last.spec().className().equals("Activation") || last.spec().className().equals("Dense")
                ? last.spec().string("activation", "linear") : "linear";
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

    private static Layer resolveLayer(LayerSpec l, List<int[]> in, String where) {
        List<Weight> w = new ArrayList<>();
        int[] x = in.isEmpty() ? null : in.get(0);
        String n = l.name();
        int[] out;
        switch (l.className()) {
            case "Conv2D" -> {
                image(x, where);
                int[] k = l.pair("kernel_size", null);
                int[] s = l.pair("strides", new int[] {1, 1});
                int[] d = l.pair("dilation_rate", new int[] {1, 1});
                if ((s[0] > 1 || s[1] > 1) && (d[0] > 1 || d[1] > 1)) {
                    throw new LosslabException(where + ": strides > 1 with dilation_rate > 1 is not supported (as in Keras)");
                }
                int filters = l.integer("filters", 0);
                out = new int[] {conv(x[0], (k[0] - 1) * d[0] + 1, s[0], l.padding(), where),
                        conv(x[1], (k[1] - 1) * d[1] + 1, s[1], l.padding(), where), filters};
                boolean trainable = l.bool("trainable", true); // a frozen layer's weights never change (Keras)
                w.add(new Weight(n + "/kernel", new long[] {k[0], k[1], x[2], filters}, trainable, init(l, "kernel_initializer"),
                        "kernel"));
                if (l.bool("use_bias", true)) {
                    w.add(new Weight(n + "/bias", new long[] {filters}, trainable, init(l, "bias_initializer"), "bias"));
                }
            }
            case "MaxPooling2D", "AveragePooling2D" -> {
                image(x, where);
                int[] p = l.pair("pool_size", new int[] {2, 2});
                int[] s = l.pair("strides", p);
                out = new int[] {conv(x[0], p[0], s[0], l.padding(), where), conv(x[1], p[1], s[1], l.padding(), where), x[2]};
            }
            case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> {
                image(x, where);
                out = l.bool("keepdims", false) ? new int[] {1, 1, x[2]} : new int[] {x[2]};
            }
            case "Flatten" -> out = new int[] {prod(x)};
            case "Dense" -> {
                if (x.length != 1) {
                    throw new LosslabException(where + ": Dense on a " + fmt(x) + " input; put Flatten or a global pooling "
                            + "layer before it");
                }
                int units = l.integer("units", 0);
                out = new int[] {units};
                boolean trainable = l.bool("trainable", true);
                w.add(new Weight(n + "/kernel", new long[] {x[0], units}, trainable, init(l, "kernel_initializer"), "kernel"));
                if (l.bool("use_bias", true)) {
                    w.add(new Weight(n + "/bias", new long[] {units}, trainable, init(l, "bias_initializer"), "bias"));
                }
            }
            case "BatchNormalization" -> {
                int c = x[x.length - 1];
                boolean trainable = l.bool("trainable", true);
                if (l.bool("scale", true)) {
                    w.add(new Weight(n + "/gamma", new long[] {c}, trainable, Map.of("class_name", "Ones", "config", Map.of()), "gamma"));
                }
                if (l.bool("center", true)) {
                    w.add(new Weight(n + "/beta", new long[] {c}, trainable, Map.of("class_name", "Zeros", "config", Map.of()), "beta"));
                }
                w.add(new Weight(n + "/moving_mean", new long[] {c}, false, Map.of("class_name", "Zeros", "config", Map.of()), "moving_mean"));
                w.add(new Weight(n + "/moving_variance", new long[] {c}, false, Map.of("class_name", "Ones", "config", Map.of()), "moving_variance"));
                out = x.clone();
            }
            case "Dropout", "Activation", "ReLU", "Rescaling", "RandomFlip", "RandomTranslation", "RandomRotation",
                 "RandomZoom", "RandomContrast", "RandomBrightness" -> out = x.clone();
            case "RandomCrop" -> {
                var crop = (dev.losslab.recipe.Augmentation.Crop) dev.losslab.recipe.Augmentation.fromKeras("RandomCrop",
                        l.config(), where);
                if (x.length != 3 || crop.height() != x[0] || crop.width() != x[1]) {
                    throw new LosslabException(where + ": RandomCrop " + crop.height() + "x" + crop.width() + " inside a "
                            + "network must keep its input's size " + fmt(x) + " (Keras 3.15 crops in training but not at "
                            + "inference); put pad-and-crop in the config's augmentation list");
                }
                out = x.clone();
            }
            case "Add" -> {
                if (in.size() < 2) {
                    throw new LosslabException(where + ": Add needs at least 2 inputs, got " + in.size());
                }
                for (int[] o : in) {
                    if (!java.util.Arrays.equals(o, x)) {
                        throw new LosslabException(where + ": Add of different shapes " + fmt(x) + " and " + fmt(o));
                    }
                }
                out = x.clone();
            }
            case "Concatenate" -> {
                if (in.size() < 2) {
                    throw new LosslabException(where + ": Concatenate needs at least 2 inputs, got " + in.size());
                }
                int axis = l.integer("axis", -1);
                int rank = x.length;
                int a = axis < 0 ? rank + axis : axis - 1;
                if (a != rank - 1) {
                    throw new LosslabException(where + ": Concatenate on axis " + axis + " is not supported (the last axis)");
                }
                int sum = 0;
                for (int[] o : in) {
                    if (o.length != rank || !java.util.Arrays.equals(java.util.Arrays.copyOf(o, rank - 1),
                            java.util.Arrays.copyOf(x, rank - 1))) {
                        throw new LosslabException(where + ": Concatenate of " + fmt(x) + " and " + fmt(o));
                    }
                    sum += o[rank - 1];
                }
                out = x.clone();
                out[rank - 1] = sum;
            }
            default -> throw new LosslabException(where + ": cannot be built");
        }
        if (!l.className().equals("Add") && !l.className().equals("Concatenate") && in.size() != 1) {
            throw new LosslabException(where + ": takes one input, got " + in.size());
        }
        return new Layer(l, out, w);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> init(LayerSpec l, String key) {
        return (Map<String, Object>) l.config().get(key);
    }

    private static void image(int[] x, String where) {
        if (x == null || x.length != 3) {
            throw new LosslabException(where + ": needs an image input [H, W, C], got " + fmt(x));
        }
    }

    /** Output size of a window {@code k} at {@code stride} over {@code n} cells (TF's VALID/SAME rules). */
    static int conv(int n, int k, int stride, String padding, String where) {
        int out = padding.equals("same") ? (n + stride - 1) / stride : n < k ? 0 : (n - k) / stride + 1;
        if (out < 1) {
            throw new LosslabException(where + ": its input side " + n + " is too small for a window of " + k
                    + " with padding " + padding + "; the data need larger images (data.imageSize) or padding \"same\"");
        }
        return out;
    }

    private static int prod(int[] x) {
        int p = 1;
        for (int v : x) {
            p *= v;
        }
        return p;
    }

    static String fmt(int[] s) {
        if (s == null) {
            return "nothing";
        }
        StringBuilder sb = new StringBuilder("(None");
        for (int v : s) {
            sb.append(", ").append(v);
        }
        return sb.append(')').toString();
    }

    /**
     * Forward FLOPs per image, multiply-adds counted as 2: Conv2D out_h out_w k_h k_w c_in filters,
     * Dense in units (biases, activations, pooling and normalisation not counted), as
     * {@link dev.losslab.model.CnnArchitecture#forwardFlops} counts the notebook's network.
     */
    public double forwardFlops() {
        double f = 0;
        for (Layer l : layers) {
            for (Weight w : l.weights()) {
                if (!w.role().equals("kernel")) {
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
        return layers.stream().mapToLong(Layer::trainableParams).sum();
    }

    public long nonTrainableParams() {
        return layers.stream().mapToLong(Layer::nonTrainableParams).sum();
    }

    /** Every weight in build order (the order the seeded initial values are drawn in). */
    public List<Weight> weights() {
        return layers.stream().flatMap(l -> l.weights().stream()).toList();
    }

    /** Keras' {@code model.summary()} table (Keras 2's plain layout). */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        String rule = "_".repeat(78) + "\n";
        sb.append("Model: \"").append(spec.name()).append("\"\n").append(rule);
        sb.append(String.format(Locale.ROOT, "%-34s%-28s%-16s%n", " Layer (type)", "Output Shape", "Param #"));
        sb.append("=".repeat(78)).append('\n');
        sb.append(String.format(Locale.ROOT, " %-33s%-28s%-16s%n", "input (InputLayer)",
                fmt(new int[] {input.height(), input.width(), input.channels()}), "0"));
        for (Layer l : layers) {
            String name = l.spec().name() + " (" + l.spec().className() + ")";
            sb.append(String.format(Locale.ROOT, " %-33s%-28s%-16s%n", name.length() > 32 ? name.substring(0, 29) + "..." : name,
                    fmt(l.outputShape()), String.valueOf(l.trainableParams() + l.nonTrainableParams())));
        }
        sb.append("=".repeat(78)).append('\n');
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
