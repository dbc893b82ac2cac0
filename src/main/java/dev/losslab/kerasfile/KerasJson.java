package dev.losslab.kerasfile;

import dev.losslab.network.KerasOrigin;
import dev.losslab.network.LayerNormaliser;
import dev.losslab.network.NetworkSpec;
import dev.losslab.network.Parameter;
import dev.losslab.network.ResolvedNetwork;
import dev.losslab.network.Topology;

import dev.losslab.network.layers.LayerSpec;
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
            if (file.getFileName().toString().endsWith(".gz")) { // model.to_json() gzipped
                try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
                    root = JSON.readTree(in);
                }
            } else {
                root = JSON.readTree(Files.readString(file));
            }
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
        if (!MODELS.contains(cls)) {
            throw new LosslabException("model class '" + cls + "' is not supported (Sequential, Functional or Model)");
        }
        Map<String, KerasOrigin> origins = new LinkedHashMap<>();
        Model m = model(cls, root, new Scope("", null, "", new java.util.HashSet<>(), origins));
        return new NetworkSpec(m.name(), m.layers(), m.input(), m.output(), origins);
    }

    /** Model classes, which may also be layers of another model (a keras.applications base inside a classifier). */
    static final java.util.Set<String> MODELS = java.util.Set.of("Sequential", "Functional", "Model");

    /** A parsed (sub)model: its layers in build order without its InputLayer, the name its input goes by, its output. */
    private record Model(String name, List<LayerSpec> layers, String inputName, String output, int[] input) {
    }

    /**
     * Where a (sub)model sits: its Keras 3 weights key prefix ("layers/functional/"), its top-level layer name in
     * a legacy .h5 (null at the top), a suffix for messages, the names already taken, and the origins collected.
     */
    private record Scope(String keyPrefix, String legacyGroup, String in, java.util.Set<String> used,
                         Map<String, KerasOrigin> origins) {
    }

    private static Model model(String cls, JsonNode root, Scope scope) {
        JsonNode config = root.get("config");
        return cls.equals("Sequential") ? sequential(root, config, scope) : functional(config, scope);
    }

    private static Model sequential(JsonNode root, JsonNode config, Scope scope) {
        JsonNode layers = config.isArray() ? config : config.get("layers");
        if (layers == null || !layers.isArray() || layers.isEmpty()) {
            throw new LosslabException("Sequential model without layers" + scope.in());
        }
        String name = config.isObject() && config.has("name") ? config.get("name").asText() : "sequential";
        int[] input = null;
        if (root.has("build_config") && root.get("build_config").has("input_shape")) {
            input = LayerNormaliser.shape(root.get("build_config").get("input_shape"), "build_config.input_shape");
        }
        if (input == null && config.isObject() && config.has("build_input_shape")) {
            input = LayerNormaliser.shape(config.get("build_input_shape"), "build_input_shape");
        }
        String inputName = scope.legacyGroup() == null ? "input" : name + "/input"; // the images, or the outer tensor
        List<LayerSpec> out = new ArrayList<>();
        Map<String, Integer> keys = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            names.add(layerName(layers.get(i), i));
        }
        scope.used().addAll(names);
        String previous = inputName;
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            String lcls = text(l, "class_name", "layer " + i);
            String lname = names.get(i);
            String key = key(keys, lcls);
            String where = "layer " + i + " '" + lname + "' (" + lcls + ")" + scope.in();
            if (MODELS.contains(lcls)) {
                Nested inner = nested(l, lname, key, scope);
                previous = inline(inner, previous, null, out, l, scope, where);
                continue;
            }
            LayerSpec spec = LayerNormaliser.normalise(lcls, map(l.get("config")), lname, List.of(previous), where);
            if (input == null && spec.has("batch_shape")) {
                input = LayerNormaliser.shape(JSON.valueToTree(spec.config().get("batch_shape")), where + " batch_shape");
            }
            if (spec.className().equals("InputLayer")) {
                continue; // the data's input; its shape is the declared input
            }
            scope.origins().put(lname, origin(scope, key, lname));
            out.add(spec);
            previous = lname;
        }
        return new Model(name, out, inputName, previous, input);
    }

    private static Model functional(JsonNode config, Scope scope) {
        JsonNode layers = config.get("layers");
        if (layers == null || !layers.isArray() || layers.isEmpty()) {
            throw new LosslabException("functional model without layers" + scope.in());
        }
        List<String> inputs = refs(config.get("input_layers"), "input_layers");
        List<String> outputs = refs(config.get("output_layers"), "output_layers");
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new LosslabException("functional model with " + inputs.size() + " inputs and " + outputs.size()
                    + " outputs" + scope.in() + "; losslab builds one image input and one output");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            names.add(layerName(layers.get(i), i));
        }
        scope.used().addAll(names);
        int[] input = null;
        List<LayerSpec> specs = new ArrayList<>();
        Map<String, String> alias = new HashMap<>(); // a nested model's name -> its output layer's
        Map<String, Integer> keys = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            String lcls = text(l, "class_name", "layer " + i);
            String lname = names.get(i);
            String key = key(keys, lcls);
            String where = "layer " + i + " '" + lname + "' (" + lcls + ")" + scope.in();
            List<String> inbound = inbound(l.get("inbound_nodes"), where);
            if (MODELS.contains(lcls)) {
                if (inbound.size() != 1) {
                    throw new LosslabException(where + ": a nested model takes one input, got " + inbound.size());
                }
                Nested inner = nested(l, lname, key, scope);
                alias.put(lname, inline(inner, inbound.get(0), callTraining(l.get("inbound_nodes")), specs, l, scope, where));
                continue;
            }
            Map<String, Object> cfg = map(l.get("config"));
            Object constant = constantArgument(l.get("inbound_nodes"));
            if (constant != null) {
                // a keras.ops call on a tensor and a number (MobileNetV3's x + 3.0, x * (1 / 6))
                cfg = new LinkedHashMap<>(cfg);
                cfg.put("constant", ((Object[]) constant)[0]);
                cfg.put("constant_first", ((Object[]) constant)[1]);
            }
            LayerSpec spec = LayerNormaliser.normalise(lcls, cfg, lname, inbound, where);
            if (Boolean.FALSE.equals(callTraining(l.get("inbound_nodes")))) {
                spec = withConfig(spec, "call_training", false);
            }
            if (spec.className().equals("InputLayer")) {
                if (!lname.equals(inputs.get(0))) {
                    throw new LosslabException(where + ": an InputLayer that is not the model's input");
                }
                if (spec.has("batch_shape")) {
                    input = LayerNormaliser.shape(JSON.valueToTree(spec.config().get("batch_shape")), where + " batch_shape");
                }
            } else {
                scope.origins().put(lname, origin(scope, key, lname));
            }
            specs.add(spec);
        }
        List<LayerSpec> aliased = specs.stream().map(l -> l.inbound().stream().anyMatch(alias::containsKey)
                ? new LayerSpec(l.className(), l.name(), l.config(), l.inbound().stream().map(n -> alias.getOrDefault(n, n)).toList())
                : l).toList();
        List<LayerSpec> ordered = Topology.order(aliased, inputs.get(0));
        // the InputLayer is the images themselves
        List<LayerSpec> built = ordered.stream().filter(l -> !l.className().equals("InputLayer")).toList();
        String output = alias.getOrDefault(outputs.get(0), outputs.get(0));
        return new Model(config.has("name") ? config.get("name").asText() : "functional", built, inputs.get(0), output, input);
    }

    private static String layerName(JsonNode l, int i) {
        String cls = l.path("class_name").asText("layer");
        if (l.has("name")) {
            return l.get("name").asText();
        }
        JsonNode n = l.path("config").path("name");
        return n.isMissingNode() || n.isNull() ? LayerNormaliser.snake(cls) + "_" + i : n.asText();
    }

    /** Keras 3's weights key: the class in snake case, numbered in the model's layer order (saving_lib.py). */
    private static String key(Map<String, Integer> keys, String cls) {
        String snake = KerasModelFile.snakeCase(cls);
        int n = keys.merge(snake, 1, Integer::sum) - 1;
        return n == 0 ? snake : snake + "_" + n;
    }

    private static KerasOrigin origin(Scope scope, String key, String name) {
        return new KerasOrigin(scope.keyPrefix() + "layers/" + key, scope.legacyGroup() == null ? name : scope.legacyGroup(),
                name);
    }

    /** A nested model parsed in its own scope, with the origins of its layers by their inner names. */
    private record Nested(Model model, Map<String, KerasOrigin> origins) {
    }

    private static Nested nested(JsonNode l, String name, String key, Scope scope) {
        java.util.Set<String> used = new java.util.HashSet<>(); // an inner model's names are its own
        Map<String, KerasOrigin> origins = new LinkedHashMap<>();
        Model inner = model(l.get("class_name").asText(), l,
                new Scope(scope.keyPrefix() + "layers/" + key + "/", scope.legacyGroup() == null ? name : scope.legacyGroup(),
                        " in '" + name + "'" + scope.in(), used, origins));
        return new Nested(inner, origins);
    }

    /**
     * Puts a nested model's layers into {@code into}, fed by {@code source} (the outer tensor its input stands for);
     * an inner name the outer model also uses gets the nested model's name in front. A model saved with
     * {@code trainable: false} freezes every layer in it; a call with {@code training=False} runs every layer in
     * inference mode (BatchNormalization on its moving statistics, no dropout), as Keras does. Returns the name of
     * the layer giving the nested model's output.
     */
    private static String inline(Nested nested, String source, Boolean training, List<LayerSpec> into, JsonNode l, Scope scope,
                                 String where) {
        Model inner = nested.model();
        boolean frozen = Boolean.FALSE.equals(map(l.get("config")).get("trainable"));
        String prefix = layerName(l, 0) + "/";
        Map<String, String> rename = new HashMap<>();
        for (LayerSpec x : inner.layers()) {
            rename.put(x.name(), scope.used().contains(x.name()) ? prefix + x.name() : x.name());
        }
        rename.put(inner.inputName(), source);
        for (LayerSpec x : inner.layers()) {
            Map<String, Object> c = new LinkedHashMap<>(x.config());
            if (frozen) {
                c.put("trainable", false);
            }
            if (Boolean.FALSE.equals(training)) {
                c.put("call_training", false);
            }
            String name = rename.get(x.name());
            if (nested.origins().containsKey(x.name())) {
                scope.origins().put(name, nested.origins().get(x.name()));
            }
            scope.used().add(name);
            into.add(new LayerSpec(x.className(), name, c, x.inbound().stream().map(n -> rename.getOrDefault(n, n)).toList()));
        }
        if (!rename.containsKey(inner.output())) {
            throw new LosslabException(where + ": its output layer '" + inner.output() + "' is not among its layers");
        }
        return rename.get(inner.output());
    }

    private static LayerSpec withConfig(LayerSpec l, String key, Object value) {
        Map<String, Object> c = new LinkedHashMap<>(l.config());
        c.put(key, value);
        return new LayerSpec(l.className(), l.name(), c, l.inbound());
    }

    /**
     * The number a Keras 3 operation node was called with beside its one tensor ({@code [x, 3.0]}: {3.0, false};
     * {@code [1.0, x]}: {1.0, true}), or null.
     */
    static Object constantArgument(JsonNode nodes) {
        if (nodes == null || nodes.size() != 1 || !nodes.get(0).isObject()) {
            return null;
        }
        JsonNode args = nodes.get(0).get("args");
        if (args == null || !args.isArray() || args.size() != 2) {
            return null;
        }
        for (int i = 0; i < 2; i++) {
            if (args.get(i).isNumber() && args.get(1 - i).isObject()) {
                return new Object[] {args.get(i).doubleValue(), i == 0};
            }
        }
        return null;
    }

    /** The {@code training} argument a layer was called with (Keras 3 node kwargs or a legacy node's dict), or null. */
    static Boolean callTraining(JsonNode nodes) {
        if (nodes == null || nodes.isEmpty()) {
            return null;
        }
        JsonNode node = nodes.get(0);
        JsonNode t = null;
        if (node.isObject()) {
            t = node.path("kwargs").get("training");
        } else if (node.isArray() && node.size() > 0 && node.get(0).isArray() && node.get(0).size() >= 4) {
            t = node.get(0).get(3).get("training");
        }
        return t != null && t.isBoolean() ? t.asBoolean() : null;
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

}
