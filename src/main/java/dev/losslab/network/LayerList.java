package dev.losslab.network;

import dev.losslab.network.layers.LayerSpec;
import dev.losslab.LosslabException;
import dev.losslab.network.layers.LayerKinds;
import dev.losslab.util.Registry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network written in a losslab config: {@code "model": {"layers": [{"Conv2D": {"filters": 64,
 * "kernel_size": 3, "padding": "same", "activation": "relu"}}, ...]}}: one object per layer whose one
 * key is the Keras class name and whose value holds Keras' argument names (defaults as Keras'). A
 * layer may take a {@code "name"}, and {@code "inputs": ["a", "b"]} makes the list a functional
 * network (Add, Concatenate; otherwise each layer takes the previous one). Goes through the same
 * normaliser as Keras JSON.
 */
public final class LayerList {
    private LayerList() {
    }

    @SuppressWarnings("unchecked")
    public static NetworkSpec parse(List<Map<String, Object>> layers) {
        if (layers == null || layers.isEmpty()) {
            throw new LosslabException("model.layers: empty list");
        }
        List<LayerSpec> out = new ArrayList<>();
        int[] input = null;
        String previous = "input";
        String inputName = "input";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> l = layers.get(i);
            if (l == null || l.size() != 1) {
                throw new LosslabException("model.layers[" + i + "]: write each layer as {\"ClassName\": {arguments}}, got "
                        + l);
            }
            String cls = l.keySet().iterator().next();
            Object v = l.get(cls);
            Map<String, Object> cfg = v == null ? Map.of() : v instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m)
                    : null;
            if (cfg == null) {
                throw new LosslabException("model.layers[" + i + "] (" + cls + "): arguments must be an object, got " + v);
            }
            String name = cfg.get("name") != null ? cfg.get("name").toString() : LayerNormaliser.snake(cls) + "_" + i;
            if (names.contains(name)) {
                throw new LosslabException("model.layers[" + i + "]: a second layer named '" + name + "'");
            }
            names.add(name);
            List<String> inbound;
            if (cfg.get("inputs") instanceof List<?> in) {
                inbound = in.stream().map(Object::toString).toList();
            } else {
                inbound = List.of(previous);
            }
            String where = "model.layers[" + i + "] '" + name + "' (" + cls + ")";
            if (cls.equals("InputLayer")) {
                if (i != 0) {
                    throw new LosslabException(where + ": an InputLayer can only come first");
                }
                Object shape = cfg.containsKey("shape") ? cfg.get("shape") : cfg.get("batch_shape");
                if (shape instanceof List<?> s) {
                    input = LayerNormaliser.shape(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(s), where);
                }
                previous = name;
                inputName = name;
                continue;
            }
            cfg.remove("shape");
            Set<String> known = LayerKinds.of(cls, where).arguments(cls);
            if (known != null) {
                Set<String> all = new HashSet<>(known);
                all.addAll(LIST_KEYS);
                Registry.checkArguments(cls, cfg.keySet(), all, Set.of(), k -> where);
            }
            LayerSpec spec = LayerNormaliser.normalise(cls, cfg, name, inbound, where);
            out.add(spec);
            previous = name;
        }
        if (out.isEmpty()) {
            throw new LosslabException("model.layers: only an InputLayer");
        }
        List<LayerSpec> withInput = new ArrayList<>();
        withInput.add(new LayerSpec("InputLayer", inputName, Map.of(), List.of()));
        withInput.addAll(out);
        List<LayerSpec> ordered = Topology.order(withInput, inputName);
        return new NetworkSpec("sequential", ordered.subList(1, ordered.size()), input, out.get(out.size() - 1).name());
    }

    /** Keys any layer of a list may carry besides its kind's arguments: Keras' base layer's, and losslab's. */
    private static final Set<String> LIST_KEYS = Set.of("name", "trainable", "dtype", "inputs", "input_shape",
            "batch_input_shape", "batch_shape", "activity_regularizer", "call_training");

    /**
     * The notebook's CNN (its cited source, the COE 379L unit03 CNN page) as a layer list: three
     * Conv2D 3x3 + ReLU blocks of 64, 32, 32 filters each followed by MaxPooling2D 2x2, Flatten,
     * Dense 100 + ReLU, Dense to the logits (1 unit for two classes, K otherwise), all Glorot-uniform
     * kernels and zero biases; {@code padding} "same" (the source's) or "valid". The layer names
     * (conv1, ..., output) keep the variable names losslab's SavedModels have always had.
     */
    public static NetworkSpec notebook(String padding, int numClasses) {
        List<Map<String, Object>> l = new ArrayList<>();
        int[] filters = {64, 32, 32};
        for (int b = 0; b < 3; b++) {
            l.add(Map.of("Conv2D", Map.of("name", "conv" + (b + 1), "filters", filters[b], "kernel_size", 3,
                    "padding", padding, "activation", "relu")));
            l.add(Map.of("MaxPooling2D", Map.of("name", "pool" + (b + 1), "pool_size", 2, "padding", padding)));
        }
        l.add(Map.of("Flatten", Map.of("name", "flatten")));
        l.add(Map.of("Dense", Map.of("name", "dense1", "units", 100, "activation", "relu")));
        l.add(Map.of("Dense", Map.of("name", "output", "units", numClasses == 2 ? 1 : numClasses)));
        return parse(l);
    }
}
