package dev.losslab.network;

import dev.losslab.network.layers.BatchNormalizationLayer;
import dev.losslab.data.PixelScaling;
import dev.losslab.network.layers.LayerSpec;
import dev.losslab.data.InputShape;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.losslab.LosslabException;
import dev.losslab.data.Images;
import java.util.Locale;

/**
 * The CNN as a value: what varies between the notebook's network and its Keras-default reading.
 * Travels in configs ({@code "model": {"padding": "same"}}), in {@code run.json} and in the bench.
 *
 * <p>The default is the network the notebook's report cites as its source, the COE 379L unit03 CNN
 * page (course repository {@code joestubbs/coe379l-fa25}, {@code docs/unit03/cnn.rst}): every
 * Conv2D and MaxPooling2D pads {@code "same"}, so the maps are 28 -> 14 -> 7 -> 4 and Flatten gives
 * 4 x 4 x 32 = 512. {@code valid} is Keras' default padding (maps 26, 13, 11, 5, 3, 1; Flatten 32),
 * the network losslab built before it read that source.
 *
 * @param padding padding of every convolution and max-pooling layer
 * @param layers a layer list in Keras' vocabulary (see {@link LayerList})
 * @param keras a Keras model JSON, a Keras 3 {@code .keras} file or a legacy HDF5 {@code .h5} model whose weights the
 *              run starts from
 * @param weights false starts a Keras file from fresh weights drawn from the run's seed (default: the file's own); a
 *                path names a weights file to start from (Keras 3 {@code .weights.h5} or a legacy {@code save_weights}
 *                .h5), for a Keras JSON or in place of a model file's own
 * @param trainable which layers train (Keras' transfer-learning guide): false freezes every layer,
 *                  {@code {"from": "<layer name>"}} freezes the layers before that one; absent: as each layer says
 *                  (a layer saved with {@code "trainable": false} stays frozen). A frozen layer's weights never
 *                  change, and a frozen BatchNormalization runs on its moving statistics without updating them.
 * @param head layers (a layer list) appended to a Keras file's or JSON's output: a new head on a base saved with
 *             include_top=False; {@code "trainable": false} then freezes the base only
 * @param pixels how the 0..255 pixels are scaled before the network (see {@link PixelScaling}):
 *               unit, raw, or Keras' preprocess_input modes tf, torch, caffe; absent: raw for a Keras model file (Keras'
 *               loaders give 0..255 floats) or a network starting with Rescaling, else unit
 * @param fineTune a second phase in the same run that unfreezes the base ({@link FineTune})
 * @param batchNormalization how 4-D float32 BatchNormalization layers are computed: "composed" (default; Keras 3's own
 *                           arithmetic, from primitive ops, the reference within 1e-5) or "fused" (TensorFlow's
 *                           {@code FusedBatchNormV3} kernel and its gradient: faster, and after training a few 1e-5
 *                           from Keras' numbers; see docs/performance.md)
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record ModelSpec(Padding padding, java.util.List<java.util.Map<String, Object>> layers, String keras,
                        Object weights, com.fasterxml.jackson.databind.JsonNode trainable,
                        java.util.List<java.util.Map<String, Object>> head, String pixels, FineTune fineTune,
                        String batchNormalization) {
    /** The notebook's network (its cited source): padding "same". */
    public static final ModelSpec NOTEBOOK = new ModelSpec(Padding.SAME);
    /** Keras' default padding ("valid"), losslab's network before the fidelity fix. */
    public static final ModelSpec VALID = new ModelSpec(Padding.VALID);

    /** The values of {@link #batchNormalization}. */
    public static final java.util.List<String> BATCH_NORMALIZATIONS = java.util.List.of("composed", "fused");

    public ModelSpec {
        padding = padding == null ? Padding.SAME : padding;
        if (batchNormalization != null && !BATCH_NORMALIZATIONS.contains(batchNormalization)) {
            throw new LosslabException("model.batchNormalization: '" + batchNormalization + "' is not one of "
                    + BATCH_NORMALIZATIONS);
        }
        if (layers != null && keras != null) {
            throw new LosslabException("model: give layers or keras, not both");
        }
        // (the parameters, not the fields: a compact constructor assigns them after its body)
        if (pixels != null) {
            PixelScaling.parse(pixels);
        }
        if (fineTune != null && layers == null && keras == null) {
            throw new LosslabException("model.fineTune applies to a network given as layers or a Keras file");
        }
        if (head != null && keras == null) {
            throw new LosslabException("model.head applies to a base in model.keras (a .keras file or Keras JSON)");
        }
        if (weights != null && keras == null) {
            throw new LosslabException("model.weights applies to the Keras file or JSON in model.keras");
        }
        if (weights != null && !(weights instanceof Boolean) && !(weights instanceof String)) {
            throw new LosslabException("model.weights: false, or the path of a weights .h5 file; found " + weights);
        }
        if (Boolean.TRUE.equals(weights) && keras != null
                && !ModelFiles.isModelFile(java.nio.file.Path.of(keras))) {
            throw new LosslabException("model.weights: a Keras JSON holds no weights; give the path of a weights .h5 file");
        }
    }

    /** The notebook's network with {@code padding}. */
    public ModelSpec(Padding padding) {
        this(padding, null, null, null, null, null, null, null, null);
    }

    /** A network as data without a freezing rule or a new head. */
    public ModelSpec(Padding padding, java.util.List<java.util.Map<String, Object>> layers, String keras, Object weights) {
        this(padding, layers, keras, weights, null, null, null, null, null);
    }

    /** A network as data with a freezing rule, without a new head. */
    public ModelSpec(Padding padding, java.util.List<java.util.Map<String, Object>> layers, String keras, Object weights,
                     com.fasterxml.jackson.databind.JsonNode trainable) {
        this(padding, layers, keras, weights, trainable, null, null, null, null);
    }

    /** A network as data with a freezing rule and a new head, pixels as the network implies. */
    public ModelSpec(Padding padding, java.util.List<java.util.Map<String, Object>> layers, String keras, Object weights,
                     com.fasterxml.jackson.databind.JsonNode trainable, java.util.List<java.util.Map<String, Object>> head) {
        this(padding, layers, keras, weights, trainable, head, null, null, null);
    }

    /**
     * The pixel scaling the network is trained and served with: the config's {@code pixels}, else raw for a Keras
     * model file or a network starting with Rescaling, else unit.
     */
    public PixelScaling pixelScaling(ResolvedNetwork net) {
        if (pixels != null) {
            return PixelScaling.parse(pixels);
        }
        if (isKerasFile() || net.layers().get(0).spec().className().equals("Rescaling")) {
            return PixelScaling.RAW;
        }
        return PixelScaling.UNIT;
    }

    /** True when {@code keras} names a Keras model file with weights ({@code .keras}, legacy {@code .h5}). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isKerasFile() {
        return keras != null && ModelFiles.isModelFile(java.nio.file.Path.of(keras));
    }

    /** True when the run starts from weights read from a file (a model file's own, or model.weights' file). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean startsFromFile() {
        return weights instanceof String || isKerasFile() && !Boolean.FALSE.equals(weights);
    }

    /**
     * The weights the run starts from, in {@code net}'s weight order: a {@code .keras} file's own (shape-checked),
     * or null for Keras' initializers drawn from the run's seed.
     */
    public java.util.List<Parameter> initialWeights(ResolvedNetwork net) {
        return initialWeights(net, 1);
    }

    /** As above; a new head's layers start from Keras' initializers drawn from {@code seed}. */
    public java.util.List<Parameter> initialWeights(ResolvedNetwork net, long seed) {
        if (!startsFromFile()) {
            return null;
        }
        return ModelFiles.installed().parameters(java.nio.file.Path.of(keras),
                weights instanceof String w ? java.nio.file.Path.of(w) : null, net,
                head == null ? null : Initializers.initialValues(net, seed));
    }

    /** True for the notebook's built-in CNN (no layer list, no Keras file). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isNotebook() {
        return layers == null && keras == null;
    }

    /** The network as data: the layer list, the Keras file, or the notebook's CNN with this padding. */
    public NetworkSpec network(int numClasses) {
        NetworkSpec base = unfrozen(numClasses);
        int baseLayers = base.layers().size();
        return withKernels(freeze(withHead(base), baseLayers));
    }

    /** True when BatchNormalization runs on TensorFlow's fused kernel ({@link #batchNormalization} "fused"). */
    public boolean fusedBatchNormalization() {
        return "fused".equals(batchNormalization);
    }

    /** The network with {@link #batchNormalization}'s choice marked on its BatchNormalization layers. */
    private NetworkSpec withKernels(NetworkSpec net) {
        if (!fusedBatchNormalization()) {
            return net;
        }
        java.util.List<LayerSpec> out = new java.util.ArrayList<>();
        for (var l : net.layers()) {
            if (l.className().equals("BatchNormalization")) {
                java.util.Map<String, Object> c = new java.util.LinkedHashMap<>(l.config());
                c.put(BatchNormalizationLayer.FUSED, true);
                l = new LayerSpec(l.className(), l.name(), c, l.inbound());
            }
            out.add(l);
        }
        return new NetworkSpec(net.name(), java.util.List.copyOf(out), net.declaredInput(), net.output());
    }

    /**
     * The network of {@link #fineTune}'s phase: the base and head with every layer trainable (fineTune.trainable true),
     * or the layers from the named one on.
     */
    public NetworkSpec fineTuneNetwork(int numClasses) {
        if (fineTune == null) {
            throw new IllegalStateException("no fineTune");
        }
        NetworkSpec net = withHead(unfrozen(numClasses));
        NetworkSpec first = network(numClasses);
        int from = 0;
        com.fasterxml.jackson.databind.JsonNode t = fineTune.trainable();
        if (t != null && t.isObject()) {
            from = layerIndex(net, t.get("from").asText(), "model.fineTune.trainable.from");
        }
        java.util.List<LayerSpec> out = new java.util.ArrayList<>();
        for (int i = 0; i < net.layers().size(); i++) {
            var l = net.layers().get(i);
            java.util.Map<String, Object> c = new java.util.LinkedHashMap<>(l.config());
            c.put("trainable", i >= from);
            if (!first.layers().get(i).bool("trainable", true)) {
                // the first phase's frozen base stays in inference mode (BatchNormalization on its moving statistics),
                // as the guide calls it with training=False
                c.put("call_training", false);
            }
            out.add(new LayerSpec(l.className(), l.name(), c, l.inbound()));
        }
        return withKernels(new NetworkSpec(net.name(), out, net.declaredInput(), net.output()));
    }

    private static int layerIndex(NetworkSpec net, String name, String field) {
        for (int i = 0; i < net.layers().size(); i++) {
            if (net.layers().get(i).name().equals(name)) {
                return i;
            }
        }
        throw new LosslabException(field + ": no layer '" + name + "'; layers: "
                + net.layers().stream().map(LayerSpec::name).toList());
    }

    /** The fine-tuning phase's network resolved like {@link #resolve}. */
    public ResolvedNetwork resolveFineTune(InputShape input, int numClasses) {
        return ResolvedNetwork.resolve(fineTuneNetwork(numClasses), input, numClasses);
    }

    /** The base with the head's layers after its output (the head's first layer takes the base's output). */
    private NetworkSpec withHead(NetworkSpec base) {
        if (head == null) {
            return base;
        }
        if (head.isEmpty()) {
            throw new LosslabException("model.head: empty list");
        }
        NetworkSpec h = LayerList.parse(head);
        java.util.Set<String> names = new java.util.HashSet<>();
        base.layers().forEach(l -> names.add(l.name()));
        java.util.List<LayerSpec> all = new java.util.ArrayList<>(base.layers());
        for (var l : h.layers()) {
            if (names.contains(l.name())) {
                throw new LosslabException("model.head: layer name '" + l.name() + "' is already the base's; name it "
                        + "otherwise");
            }
            all.add(new LayerSpec(l.className(), l.name(), l.config(), l.inbound().stream()
                    .map(in -> in.equals("input") ? base.output() : in).toList()));
        }
        return new NetworkSpec(base.name(), all, base.declaredInput(), h.output());
    }

    private NetworkSpec unfrozen(int numClasses) {
        if (layers != null) {
            return LayerList.parse(layers);
        }
        if (keras != null) {
            return ModelFiles.installed().network(java.nio.file.Path.of(keras)); // a Keras file or JSON
        }
        return LayerList.notebook(padding.configName(), numClasses);
    }

    /** The network with the config's freezing rule applied ({@link #trainable}). */
    private NetworkSpec freeze(NetworkSpec net, int baseLayers) {
        if (trainable == null || trainable.isNull() || trainable.isBoolean() && trainable.booleanValue()) {
            return net;
        }
        int from;
        if (trainable.isBoolean()) {
            from = baseLayers; // the file's layers (all of them, or the base under a new head)
        } else if (trainable.isObject() && trainable.size() == 1 && trainable.path("from").isTextual()) {
            String name = trainable.get("from").asText();
            from = -1;
            for (int i = 0; i < net.layers().size(); i++) {
                if (net.layers().get(i).name().equals(name)) {
                    from = i;
                }
            }
            if (from < 0) {
                throw new LosslabException("model.trainable.from: no layer '" + name + "'; layers: "
                        + net.layers().stream().map(LayerSpec::name).toList());
            }
        } else {
            throw new LosslabException("model.trainable: false, or {\"from\": \"<layer name>\"}; found " + trainable);
        }
        java.util.List<LayerSpec> out = new java.util.ArrayList<>();
        for (int i = 0; i < net.layers().size(); i++) {
            var l = net.layers().get(i);
            if (i < from) {
                java.util.Map<String, Object> c = new java.util.LinkedHashMap<>(l.config());
                c.put("trainable", false);
                l = new LayerSpec(l.className(), l.name(), c, l.inbound());
            }
            out.add(l);
        }
        return new NetworkSpec(net.name(), java.util.List.copyOf(out), net.declaredInput(), net.output());
    }

    /** The network resolved for {@code input} images and {@code numClasses} classes (shapes, weights, counts). */
    public ResolvedNetwork resolve(InputShape input, int numClasses) {
        if (isNotebook()) {
            checkInput(input);
        }
        return ResolvedNetwork.resolve(network(numClasses), input, numClasses);
    }

    /**
     * Convolution and pooling padding, with TF's (and so Keras') rule: {@code VALID} uses only whole
     * windows; {@code SAME} gives ceil(n / stride) outputs, padding pad_total = max((ceil(n/s) - 1) s
     * + k - n, 0) cells, pad_total / 2 (rounded down) before and the rest after, and padded cells
     * never win a max.
     */
    public enum Padding {
        SAME, VALID;

        @JsonValue
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** TF's attribute value. */
        public String tfName() {
            return name();
        }

        @JsonCreator
        public static Padding parse(String s) {
            if (s != null) {
                for (Padding p : values()) {
                    if (p.configName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                        return p;
                    }
                }
            }
            throw new LosslabException("model.padding: unknown padding '" + s + "'; valid: same, valid");
        }

        /** Output size of a window of size {@code k} at {@code stride} over {@code n} cells. */
        public int outputSize(int n, int k, int stride) {
            if (this == SAME) {
                return (n + stride - 1) / stride;
            }
            return n < k ? 0 : (n - k) / stride + 1;
        }

        /** Cells padded before the first window (TF's SAME rule; 0 for VALID). */
        public int padBefore(int n, int k, int stride) {
            if (this == VALID) {
                return 0;
            }
            int total = Math.max((outputSize(n, k, stride) - 1) * stride + k - n, 0);
            return total / 2;
        }
    }

    /** Side of the square feature map after the three conv + pool blocks on a 28 x 28 input. */
    public int finalSide() {
        return finalSize(Images.SIDE);
    }

    /** One side of the feature map after the three conv + pool blocks on {@code n} cells, or 0 when too small. */
    int finalSizeOrZero(int n) {
        for (int block = 0; block < 3; block++) {
            n = padding.outputSize(n, 3, 1);
            if (n < 1) {
                return 0;
            }
            n = padding.outputSize(n, 2, 2);
            if (n < 1) {
                return 0;
            }
        }
        return n;
    }

    private int finalSize(int n) {
        int out = finalSizeOrZero(n);
        if (out < 1) {
            throw new LosslabException("model: a " + n + "-pixel side is too small for three conv + pool blocks with padding "
                    + padding.configName() + "; need at least " + minimumSide() + " pixels");
        }
        return out;
    }

    /** The smallest side that survives the three conv + pool blocks with this padding. */
    public int minimumSide() {
        int n = 1;
        while (finalSizeOrZero(n) < 1) {
            n++;
        }
        return n;
    }

    /** Checks that {@code input} survives the three blocks; a one-line error naming the minimum otherwise. */
    public void checkInput(InputShape input) {
        if (!isNotebook()) {
            return; // a layer list or a Keras file checks its sizes when it is resolved
        }
        if (finalSizeOrZero(input.height()) < 1 || finalSizeOrZero(input.width()) < 1) {
            int min = minimumSide();
            throw new LosslabException("model: input " + input.height() + "x" + input.width() + " is too small for the "
                    + "notebook's three conv + pool blocks with padding " + padding.configName() + "; the minimum is "
                    + min + "x" + min + " (set data.imageSize)");
        }
    }

    /** Values the Flatten layer hands to the dense layer on a 28 x 28 input: side x side x 32. */
    public int flatSize() {
        return flatSize(InputShape.FASHION_MNIST);
    }

    /** Values the Flatten layer hands to the dense layer: final height x final width x 32. */
    public int flatSize(InputShape input) {
        checkInput(input);
        return finalSize(input.height()) * finalSize(input.width()) * 32 /* the notebook CNN's last convolution's filters */;
    }

    /** A short description, e.g. "padding same, flatten 512". */
    public String describe() {
        return describe(InputShape.FASHION_MNIST);
    }

    /** A short description with the input, e.g. "padding same, input 32x32x3, flatten 512". */
    public String describe(InputShape input) {
        if (!isNotebook()) {
            return (keras != null ? "keras " + keras : layers.size() + " layers") + ", input " + input;
        }
        return "padding " + padding.configName() + (input.equals(InputShape.FASHION_MNIST) ? "" : ", input " + input)
                + ", flatten " + flatSize(input);
    }
}
