package dev.losslab.recipe;

import dev.losslab.util.KerasObject;
import dev.losslab.util.Registry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.losslab.LosslabException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Keras callback as config data ({@code {"EarlyStopping": {"monitor": "val_loss", "patience": 5}}}) with Keras 3's
 * semantics (keras/src/callbacks/early_stopping.py, reduce_lr_on_plateau.py, monitor_callback.py). Each run starts
 * a fresh {@link Run}, told of every finished epoch with its logs; it may stop training, change the learning rate
 * or keep and restore the weights through {@link Control}.
 */
public interface Callback {
    /**
     * Every callback losslab runs, by Keras class name, with the arguments its constructor takes and its factory:
     * adding a callback is its class and one line here.
     */
    Registry<KerasObject, Callback> REGISTRY = new Registry<KerasObject, Callback>("callback")
            .register("EarlyStopping", EarlyStopping.ARGUMENTS, EarlyStopping::parse)
            .register("ReduceLROnPlateau", ReduceLROnPlateau.ARGUMENTS, ReduceLROnPlateau::parse);

    /** The values an epoch's logs hold: Keras' names, and losslab's validation metrics. */
    Set<String> MONITORS = Set.of("loss", "accuracy", "val_loss", "val_accuracy", "val_balanced_accuracy", "val_macro_f1",
            "val_auc", "val_ece");

    /** Fresh state for one training run. */
    Run start();

    /** The config form as written, for run.json. */
    JsonNode toJson();

    /** The quantity it watches (Keras' {@code monitor}). */
    String monitor();

    /** Whether it changes the learning rate, which Keras allows only for a constant rate. */
    default boolean needsConstantRate() {
        return false;
    }

    /**
     * The callback as a config again, {@code {"EarlyStopping": {...}}}, every argument with its value (Keras'
     * defaults included, {@code mode} as resolved); reading it back gives the same callback.
     */
    com.fasterxml.jackson.databind.node.ObjectNode toConfig();

    /** What a callback may do to the training it watches. */
    interface Control {
        void stopTraining();

        double learningRate();

        /** Sets a constant learning rate (refused for a schedule, as Keras refuses it). */
        void setLearningRate(double rate);

        /** A copy of every model weight (trainable and moving statistics), as Keras' get_weights. */
        Object weights();

        void restoreWeights(Object weights);
    }

    /** One run's state. {@code epoch} is 0-based, as Keras passes it. */
    interface Run {
        void onEpochEnd(int epoch, Map<String, Double> logs, Control control);

        default void onTrainEnd(Control control) {
        }
    }

    /** A list of callbacks at config field {@code path}. */
    static List<Callback> parseList(String path, JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new LosslabException(path + ": expected a list such as [{\"EarlyStopping\": {\"patience\": 5}}], found "
                    + KerasObject.abbreviate(node));
        }
        List<Callback> out = new java.util.ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            KerasObject o = KerasObject.parse(path + "[" + i + "]", node.get(i), REGISTRY.names());
            Registry.Entry<KerasObject, Callback> entry = REGISTRY.get(o.className());
            out.add(entry.factory().apply(o.allow(entry.arguments(), Set.of())));
        }
        return List.copyOf(out);
    }

    /** Keras' mode: min or max, {@code auto} from the monitor's name (losses and ECE go down, the rest up). */
    static boolean maximises(KerasObject o, String monitor) {
        String mode = o.text("mode", "auto", Set.of("auto", "min", "max"));
        if (!MONITORS.contains(monitor)) {
            throw new LosslabException(o.where("monitor") + ": '" + monitor + "' is not computed; valid: "
                    + KerasObject.sorted(MONITORS));
        }
        return switch (mode) {
            case "min" -> false;
            case "max" -> true;
            default -> !(monitor.endsWith("loss") || monitor.endsWith("ece"));
        };
    }

    /** Keras' _is_improvement: {@code monitor_op(value - min_delta, reference)}, min_delta negated for min. */
    static boolean improves(double value, Double reference, boolean maximise, double minDelta) {
        if (reference == null) {
            return true;
        }
        return maximise ? value - minDelta > reference : value + minDelta < reference;
    }
}
