package dev.losslab.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.losslab.LosslabException;
import dev.losslab.network.layers.KerasLayer;
import dev.losslab.network.layers.LayerKinds;
import dev.losslab.network.layers.LayerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one normaliser every source of layers goes through (a Keras file's config, Keras JSON of any generation, a
 * losslab layer list): Keras' bookkeeping keys dropped, the constraints and regularizers losslab does not build
 * refused by name, legacy input-shape keys renamed, and the layer kind's own check ({@link KerasLayer#normalise}).
 * Kept in {@code network}, below the Keras file formats ({@code kerasfile}), so a layer list needs no file reader.
 */
public final class LayerNormaliser {
    private LayerNormaliser() {
    }

    /** The one normaliser every source of layers goes through (losslab's config lists included). */
    public static LayerSpec normalise(String className, Map<String, Object> raw, String name, List<String> inbound, String where) {
        KerasLayer<?> kind = className.equals("InputLayer") ? null : LayerKinds.of(className, where);
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
    public static int[] shape(JsonNode v, String where) {
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

    /**
     * Keras' automatic name stem ({@code to_snake_case}): Conv2D -> conv2d, MaxPooling2D -> max_pooling2d,
     * BatchNormalization -> batch_normalization.
     */
    public static String snake(String cls) {
        return cls.replaceAll("(.)([A-Z][a-z0-9]+)", "$1_$2").replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
