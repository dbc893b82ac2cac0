package dev.losslab.kerasfile;

import dev.losslab.LosslabException;
import dev.losslab.data.PixelScaling;
import dev.losslab.network.ResolvedNetwork;
import dev.losslab.network.layers.KerasLayer;
import dev.losslab.network.layers.LayerKinds;
import dev.losslab.network.layers.LayerSpec;
import dev.losslab.network.layers.ResolvedLayer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trained network as the functional-model config Keras 3 writes ({@code model.get_config()} serialised:
 * keras/src/models/functional.py, keras/src/saving/serialization_lib.py): an InputLayer, the pixel scaling the run
 * trained with as a leading Rescaling (so the model takes 0..255 pixels, as Keras' loaders give them), every layer's
 * own config from its kind ({@link KerasLayer#toConfig}), each call as a node of {@code __keras_tensor__} arguments
 * with its kwargs ({@code training: false} for a layer frozen in inference mode, BatchNormalization's {@code mask}),
 * and the output's softmax (or one-unit sigmoid) explicit when the network ends in logits, so Keras' outputs are the
 * probabilities losslab's SavedModel gives. The legacy flavour (a {@code .h5}'s {@code model_config}) leaves out
 * module, registered_name and build_config, as Keras does there.
 *
 * @param layers the model's layers in Keras' order (InputLayer first), each with its class name and Keras name
 */
public record KerasModelConfig(Map<String, Object> json, List<Entry> layers) {

    /** One Keras layer of the written model: its class, name, and the losslab layer whose weights it holds (or null). */
    public record Entry(String className, String name, ResolvedLayer source) {
    }

    /** The pixel scalings a Rescaling layer expresses: x * scale + offset. */
    static double[] rescaling(PixelScaling pixels) {
        return switch (pixels) {
            case RAW -> null;
            case UNIT -> new double[] {1 / 255.0, 0.0};
            case TF -> new double[] {1 / 127.5, -1.0};
            case TORCH, CAFFE -> throw new LosslabException("the model was trained on pixels scaled '" + pixels.configName()
                    + "' (per-channel ImageNet statistics), which a Keras file cannot carry as a Rescaling layer; "
                    + "export supports unit, raw and tf");
        };
    }

    /** The functional config of {@code net}, named {@code name}, taking 0..255 pixels that {@code pixels} scales. */
    public static KerasModelConfig of(ResolvedNetwork net, PixelScaling pixels, String name, boolean legacy) {
        Set<String> layerNames = new HashSet<>();
        net.layers().forEach(l -> layerNames.add(l.spec().name()));
        List<Entry> entries = new ArrayList<>();
        List<Map<String, Object>> layers = new ArrayList<>();
        Map<String, int[]> shapes = new HashMap<>(); // output shape (without the batch) of each written layer
        int[] image = {net.input().height(), net.input().width(), net.input().channels()};

        // the images keep the name a Keras file gave them; a losslab layer list calls them "input", Keras "input_layer"
        String declared = net.layers().stream().flatMap(l -> l.spec().inbound().stream())
                .filter(n -> !layerNames.contains(n)).findFirst().orElse("input");
        String input = unique(declared.equals("input") ? "input_layer" : declared, layerNames);
        Map<String, Object> inputConfig = new LinkedHashMap<>();
        inputConfig.put("batch_shape", batch(image));
        inputConfig.put("dtype", "float32");
        inputConfig.put("sparse", false);
        inputConfig.put("ragged", false);
        inputConfig.put("name", input);
        inputConfig.put("optional", false);
        layers.add(layer("InputLayer", input, inputConfig, List.of(), null, false, legacy));
        entries.add(new Entry("InputLayer", input, null));
        shapes.put(input, image);

        String images = input;
        double[] r = rescaling(pixels);
        if (r != null) {
            String rescale = unique("rescaling", layerNames);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", rescale);
            c.put("trainable", true);
            c.put("dtype", KerasLayer.dtypePolicy());
            c.put("scale", r[0]);
            c.put("offset", r[1]);
            layers.add(layer("Rescaling", rescale, c, List.of(node(List.of(tensor(input, image)), false, Map.of())),
                    build(List.of(image), false), false, legacy));
            entries.add(new Entry("Rescaling", rescale, null));
            shapes.put(rescale, image);
            images = rescale;
        }

        String output = net.spec().output();
        String outputName = output;
        for (ResolvedLayer rl : net.layers()) {
            LayerSpec spec = rl.spec();
            KerasLayer<?> kind = LayerKinds.of(spec.className(), "layer '" + spec.name() + "'");
            Map<String, Object> config = kind.toConfig(spec);
            boolean last = spec.name().equals(output);
            String appendActivation = null;
            if (last && net.strippedActivation() == null) {
                // the network ends in logits (losslab's losses take them): Keras' model gives probabilities
                String act = net.numClasses() == 2 ? "sigmoid" : "softmax";
                if ("linear".equals(config.get("activation"))) {
                    config.put("activation", act);
                } else {
                    appendActivation = act;
                }
            }
            List<Map<String, Object>> args = new ArrayList<>();
            List<int[]> inShapes = new ArrayList<>();
            for (String in : spec.inbound()) {
                String from = layerNames.contains(in) ? in : images;
                args.add(tensor(from, shapes.get(from)));
                inShapes.add(shapes.get(from));
            }
            Map<String, Object> kwargs = new LinkedHashMap<>();
            if (Boolean.FALSE.equals(spec.config().get("call_training"))) {
                kwargs.put("training", false);
            }
            if (spec.className().equals("BatchNormalization")) {
                kwargs.put("mask", null);
            }
            boolean merge = args.size() > 1 || !kind.takes(spec.className(), 1);
            layers.add(layer(spec.className(), spec.name(), config, List.of(node(args, merge, kwargs)),
                    kind.writesBuildConfig(spec.className()) ? build(inShapes, merge) : null, true, legacy));
            entries.add(new Entry(spec.className(), spec.name(), rl));
            shapes.put(spec.name(), rl.outputShape());
            if (appendActivation != null) {
                String act = unique(appendActivation, layerNames);
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("name", act);
                c.put("trainable", true);
                c.put("dtype", KerasLayer.dtypePolicy());
                c.put("activation", appendActivation);
                layers.add(layer("Activation", act, c, List.of(node(List.of(tensor(spec.name(), rl.outputShape())), false,
                        Map.of())), null, true, legacy));
                entries.add(new Entry("Activation", act, null));
                shapes.put(act, rl.outputShape());
                outputName = act;
            }
        }

        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", name);
        model.put("trainable", true);
        model.put("layers", layers);
        model.put("input_layers", List.of(input, 0, 0));
        model.put("output_layers", List.of(outputName, 0, 0));
        Map<String, Object> root = new LinkedHashMap<>();
        if (!legacy) {
            root.put("module", "keras.src.models.functional");
        }
        root.put("class_name", "Functional");
        root.put("config", model);
        if (!legacy) {
            root.put("registered_name", "Functional");
            root.put("build_config", java.util.Collections.singletonMap("input_shape", null));
            root.put("compile_config", null);
        }
        return new KerasModelConfig(root, entries);
    }

    private static String unique(String stem, Set<String> taken) {
        String n = stem;
        for (int i = 1; taken.contains(n); i++) {
            n = stem + "_" + i;
        }
        taken.add(n);
        return n;
    }

    private static List<Object> batch(int[] shape) {
        List<Object> b = new ArrayList<>();
        b.add(null);
        for (int d : shape) {
            b.add(d);
        }
        return b;
    }

    private static Map<String, Object> tensor(String layer, int[] shape) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("shape", batch(shape));
        c.put("dtype", "float32");
        c.put("keras_history", List.of(layer, 0, 0));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("class_name", "__keras_tensor__");
        t.put("config", c);
        return t;
    }

    /** A call node: the arguments (a merge layer takes its inputs as one list argument) and the keyword arguments. */
    private static Map<String, Object> node(List<Map<String, Object>> args, boolean merge, Map<String, Object> kwargs) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("args", merge ? List.of(args) : args);
        n.put("kwargs", kwargs);
        return n;
    }

    private static Map<String, Object> build(List<int[]> inShapes, boolean merge) {
        Object shape = merge ? inShapes.stream().map(KerasModelConfig::batch).toList() : batch(inShapes.get(0));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("input_shape", shape);
        return b;
    }

    private static Map<String, Object> layer(String className, String name, Map<String, Object> config,
                                             List<Map<String, Object>> nodes, Map<String, Object> build, boolean kerasLayer,
                                             boolean legacy) {
        Map<String, Object> l = new LinkedHashMap<>();
        if (!legacy) {
            l.put("module", "keras.layers");
        }
        l.put("class_name", className);
        l.put("config", config);
        if (!legacy) {
            l.put("registered_name", null);
            if (build != null) {
                l.put("build_config", build);
            }
        }
        l.put("name", name);
        l.put("inbound_nodes", nodes);
        return l;
    }
}
