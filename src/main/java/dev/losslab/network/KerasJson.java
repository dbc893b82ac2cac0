package dev.losslab.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import dev.losslab.network.layers.KerasLayer;
import dev.losslab.network.layers.LayerKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what Keras writes ({@code model.to_json()}, a {@code .keras} file's {@code config.json}) in all
 * four generations, through one normaliser, into a {@link NetworkSpec}:
 * Keras <= 2.3 (first layer's {@code batch_input_shape}, no InputLayer), tf.keras 2.4-2.12 (an
 * {@code InputLayer}), 2.13-2.15 ({@code module}/{@code registered_name}/{@code build_config}) and
 * Keras 3 ({@code batch_shape}, DTypePolicy objects, no version key); Sequential and functional
 * models (legacy {@code inbound_nodes} lists and Keras 3 {@code {args, kwargs}} nodes). The format is
 * told from the structure, never from a version string (keras-team/keras
 * {@code legacy/saving/saving_utils.py} applies the same renames: {@code batch_input_shape} becomes
 * {@code batch_shape}, {@code axis: [3]} becomes {@code 3}).
 */
public final class KerasJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KerasJson() {
    }

    public static NetworkSpec read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new LosslabException(file + ": file not found");
        } catch (IOException e) {
            throw new LosslabException(file + ": not valid JSON (" + LosslabException.firstLine(e.getMessage()) + ")");
        }
        try {
            return parse(root);
        } catch (LosslabException e) {
            throw new LosslabException(file + ": " + e.getMessage());
        }
    }

    public static NetworkSpec parse(JsonNode root) {
        if (root == null || !root.isObject() || !root.has("class_name") || !root.has("config")) {
            throw new LosslabException("not a Keras model JSON (want {\"class_name\": \"Sequential\" or \"Functional\", "
                    + "\"config\": {...}} as model.to_json() writes)");
        }
        String cls = root.get("class_name").asText();
        JsonNode config = root.get("config");
        return switch (cls) {
            case "Sequential" -> sequential(root, config);
            case "Functional", "Model" -> functional(config);
            default -> throw new LosslabException("model class '" + cls + "' is not supported (Sequential, Functional or Model)");
        };
    }

    private static NetworkSpec sequential(JsonNode root, JsonNode config) {
        JsonNode layers = config.isArray() ? config : config.get("layers");
        if (layers == null || !layers.isArray() || layers.isEmpty()) {
            throw new LosslabException("Sequential model without layers");
        }
        String name = config.isObject() && config.has("name") ? config.get("name").asText() : "sequential";
        int[] input = null;
        if (root.has("build_config") && root.get("build_config").has("input_shape")) {
            input = shape(root.get("build_config").get("input_shape"), "build_config.input_shape");
        }
        if (input == null && config.isObject() && config.has("build_input_shape")) {
            input = shape(config.get("build_input_shape"), "build_input_shape");
        }
        List<LayerSpec> out = new ArrayList<>();
        String previous = "input"; // the images
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            String lcls = text(l, "class_name", "layer " + i);
            Map<String, Object> cfg = map(l.get("config"));
            String lname = cfg.get("name") != null ? cfg.get("name").toString() : snake(lcls) + "_" + i;
            String where = "layer " + i + " '" + lname + "' (" + lcls + ")";
            LayerSpec spec = normalise(lcls, cfg, lname, List.of(previous), where);
            if (input == null && spec.has("batch_shape")) {
                input = shape(JSON.valueToTree(spec.config().get("batch_shape")), where + " batch_shape");
            }
            if (spec.className().equals("InputLayer")) {
                continue; // the data's input; its shape is the declared input
            }
            out.add(spec);
            previous = lname;
        }
        return new NetworkSpec(name, out, input, previous);
    }

    private static NetworkSpec functional(JsonNode config) {
        JsonNode layers = config.get("layers");
        if (layers == null || !layers.isArray() || layers.isEmpty()) {
            throw new LosslabException("functional model without layers");
        }
        List<String> inputs = refs(config.get("input_layers"), "input_layers");
        List<String> outputs = refs(config.get("output_layers"), "output_layers");
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new LosslabException("functional model with " + inputs.size() + " inputs and " + outputs.size()
                    + " outputs; losslab builds one image input and one output");
        }
        int[] input = null;
        List<LayerSpec> specs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            String lcls = text(l, "class_name", "layer " + i);
            Map<String, Object> cfg = map(l.get("config"));
            String lname = l.has("name") ? l.get("name").asText() : String.valueOf(cfg.getOrDefault("name", snake(lcls) + "_" + i));
            String where = "layer " + i + " '" + lname + "' (" + lcls + ")";
            List<String> inbound = inbound(l.get("inbound_nodes"), where);
            LayerSpec spec = normalise(lcls, cfg, lname, inbound, where);
            if (spec.className().equals("InputLayer")) {
                if (!lname.equals(inputs.get(0))) {
                    throw new LosslabException(where + ": an InputLayer that is not the model's input");
                }
                if (spec.has("batch_shape")) {
                    input = shape(JSON.valueToTree(spec.config().get("batch_shape")), where + " batch_shape");
                }
            }
            specs.add(spec);
        }
        List<LayerSpec> ordered = Topology.order(specs, inputs.get(0));
        // the InputLayer is the images themselves
        List<LayerSpec> built = ordered.stream().filter(l -> !l.className().equals("InputLayer")).toList();
        return new NetworkSpec(config.has("name") ? config.get("name").asText() : "functional", built, input, outputs.get(0));
    }

    /** Layer names a node list refers to: legacy [[[name, 0, 0, {}], ...]] or Keras 3 [{"args": [...], ...}]. */
    static List<String> inbound(JsonNode nodes, String where) {
        List<String> out = new ArrayList<>();
        if (nodes == null || nodes.isEmpty()) {
            return out;
        }
        if (nodes.size() > 1) {
            throw new LosslabException(where + ": a layer called " + nodes.size() + " times (shared layers) is not supported");
        }
        JsonNode node = nodes.get(0);
        if (node.isObject()) {
            collectHistory(node.get("args"), out);
            if (node.has("kwargs") && node.get("kwargs").size() > 0) {
                for (var it = node.get("kwargs").fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    if (!k.equals("training") && !k.equals("mask")) {
                        throw new LosslabException(where + ": call argument '" + k + "' is not supported");
                    }
                }
            }
        } else if (node.isArray()) {
            for (JsonNode t : node) {
                if (t.isArray() && t.size() >= 1) {
                    out.add(t.get(0).asText());
                    if (t.size() >= 2 && t.get(1).asInt() != 0) {
                        throw new LosslabException(where + ": shared layers (node index " + t.get(1).asInt() + ") are not supported");
                    }
                }
            }
        }
        return out;
    }

    private static void collectHistory(JsonNode args, List<String> out) {
        if (args == null) {
            return;
        }
        if (args.isArray()) {
            for (JsonNode a : args) {
                collectHistory(a, out);
            }
        } else if (args.isObject() && args.has("config") && args.get("config").has("keras_history")) {
            out.add(args.get("config").get("keras_history").get(0).asText());
        }
    }

    private static List<String> refs(JsonNode v, String field) {
        List<String> out = new ArrayList<>();
        if (v == null || !v.isArray()) {
            throw new LosslabException("functional model without " + field);
        }
        if (v.size() > 0 && v.get(0).isTextual()) {
            out.add(v.get(0).asText()); // one flat [name, 0, 0]
            return out;
        }
        for (JsonNode r : v) {
            out.add(r.get(0).asText());
        }
        return out;
    }

    /** The one normaliser every source of layers goes through (losslab's config lists included). */
    static LayerSpec normalise(String className, Map<String, Object> raw, String name, List<String> inbound, String where) {
        KerasLayer kind = className.equals("InputLayer") ? null : LayerKinds.of(className, where);
        Map<String, Object> c = new LinkedHashMap<>();
        for (var e : raw.entrySet()) {
            switch (e.getKey()) {
                case "module", "registered_name", "build_config", "dtype", "name", "sparse", "ragged", "optional",
                     "input_dtype", "autocast", "quantization_config", "lora_rank", "lora_alpha", "synchronized",
                     "inputs", "activity_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint",
                     "beta_constraint", "gamma_constraint", "beta_regularizer", "gamma_regularizer", "seed" -> {
                    if (e.getKey().endsWith("constraint") && e.getValue() != null) {
                        throw new LosslabException(where + ": " + e.getKey() + " is not supported");
                    }
                    if ((e.getKey().equals("activity_regularizer") || e.getKey().equals("bias_regularizer")
                            || e.getKey().equals("beta_regularizer") || e.getKey().equals("gamma_regularizer"))
                            && e.getValue() != null) {
                        throw new LosslabException(where + ": " + e.getKey() + " is not supported (kernel_regularizer is)");
                    }
                }
                case "batch_input_shape", "batch_shape" -> c.put("batch_shape", e.getValue());
                case "input_shape" -> {
                    List<Object> s = new ArrayList<>();
                    s.add(null);
                    s.addAll((List<?>) e.getValue());
                    c.put("batch_shape", s);
                }
                default -> c.put(e.getKey(), e.getValue());
            }
        }
        if (c.get("axis") instanceof List<?> l && l.size() == 1) {
            c.put("axis", l.get(0));
        }
        Object df = c.get("data_format");
        if (df != null && !df.toString().equals("channels_last")) {
            throw new LosslabException(where + ": data_format '" + df + "' is not supported; losslab builds channels_last "
                    + "(NHWC) networks, as TensorFlow's CPU kernels need");
        }
        c.remove("data_format");
        if (kind != null) {
            kind.normalise(className, c, where);
        }
        return new LayerSpec(className, name, c, inbound);
    }

    /** [null, H, W, C] (or [H, W, C]) as [H, W, C]; null dims stay -1. */
    static int[] shape(JsonNode v, String where) {
        if (v == null || !v.isArray()) {
            return null;
        }
        List<Integer> dims = new ArrayList<>();
        for (JsonNode d : v) {
            dims.add(d.isNull() ? -1 : d.asInt());
        }
        if (dims.size() == 4) {
            dims.remove(0);
        }
        if (dims.size() != 3) {
            throw new LosslabException(where + ": input shape " + v + " is not an image shape [batch, H, W, C]");
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(JsonNode n) {
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw new LosslabException("a layer's config is not an object: " + n);
        }
        return JSON.convertValue(n, LinkedHashMap.class);
    }

    private static String text(JsonNode n, String key, String where) {
        if (n == null || !n.has(key)) {
            throw new LosslabException(where + ": no '" + key + "'");
        }
        return n.get(key).asText();
    }

    /**
     * Keras' automatic name stem ({@code to_snake_case}): Conv2D -> conv2d, MaxPooling2D -> max_pooling2d,
     * BatchNormalization -> batch_normalization.
     */
    static String snake(String cls) {
        return cls.replaceAll("(.)([A-Z][a-z0-9]+)", "$1_$2").replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
