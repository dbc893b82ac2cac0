package dev.losslab.recipe;

import dev.losslab.util.KerasObject;
import com.fasterxml.jackson.databind.JsonNode;
import dev.losslab.LosslabException;
import java.util.Map;
import java.util.Set;

/**
 * Keras 3's {@code ReduceLROnPlateau}: when {@code monitor} has not improved by more than {@code min_delta} for
 * {@code patience} epochs, multiply the learning rate by {@code factor} (not below {@code min_lr}), then wait
 * {@code cooldown} epochs before counting again. Like Keras, it needs a constant learning rate: an optimizer
 * with a schedule is refused.
 */
public record ReduceLROnPlateau(String monitor, double factor, int patience, boolean maximise, double minDelta,
                                int cooldown, double minLr, JsonNode toJson) implements Callback {

    static final Set<String> ARGUMENTS = Set.of("monitor", "factor", "patience", "verbose", "mode", "min_delta", "cooldown",
            "min_lr");

    static ReduceLROnPlateau parse(KerasObject o) {
        String monitor = o.text("monitor", "val_loss", null);
        double factor = o.number("factor", 0.1);
        if (!(factor >= 0 && factor < 1)) {
            throw new LosslabException(o.where("factor") + ": must be in [0, 1) (Keras refuses a factor >= 1), found " + factor);
        }
        return new ReduceLROnPlateau(monitor, factor, EarlyStopping.nonNegative(o, "patience", 10),
                Callback.maximises(o, monitor), Math.abs(o.number("min_delta", 1e-4)),
                EarlyStopping.nonNegative(o, "cooldown", 0), o.nonNegative("min_lr", 0), o.toJson());
    }

    @Override
    public Run start() {
        return new Run() {
            private Double best;
            private int wait;
            private int cooldownCounter;

            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs, Control control) {
                Double current = logs.get(monitor);
                if (current == null || Double.isNaN(current)) {
                    return;
                }
                if (cooldownCounter > 0) {
                    cooldownCounter--;
                    wait = 0;
                }
                if (Callback.improves(current, best, maximise, minDelta)) {
                    best = current;
                    wait = 0;
                } else if (cooldownCounter <= 0) {
                    wait++;
                    if (wait >= patience) {
                        double old = control.learningRate();
                        if (old > (float) minLr) {
                            control.setLearningRate(Math.max(old * factor, minLr));
                            cooldownCounter = cooldown;
                            wait = 0;
                        }
                    }
                }
            }
        };
    }

    @Override
    public boolean needsConstantRate() {
        return true;
    }

    @Override
    public com.fasterxml.jackson.databind.node.ObjectNode toConfig() {
        var o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        var a = o.putObject("ReduceLROnPlateau");
        a.put("monitor", monitor);
        a.put("factor", factor);
        a.put("patience", patience);
        a.put("verbose", 0);
        a.put("mode", maximise ? "max" : "min");
        a.put("min_delta", minDelta);
        a.put("cooldown", cooldown);
        a.put("min_lr", minLr);
        return o;
    }
}
