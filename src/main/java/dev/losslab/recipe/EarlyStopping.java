package dev.losslab.recipe;

import dev.losslab.util.KerasObject;
import dev.losslab.LosslabException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * Keras 3's {@code EarlyStopping}: stop when {@code monitor} has not improved by more than {@code min_delta} for
 * {@code patience} epochs (counted from {@code start_from_epoch}, 0-based as Keras), and with
 * {@code restore_best_weights} put back the weights of the best epoch when training ends (also when it ran to
 * the last epoch, as Keras 3 does). A {@code baseline} must be beaten for the wait to restart.
 */
public record EarlyStopping(String monitor, double minDelta, int patience, boolean maximise, Double baseline,
                            boolean restoreBestWeights, int startFromEpoch, JsonNode toJson) implements Callback {

    static final Set<String> ARGUMENTS = Set.of("monitor", "min_delta", "patience", "verbose", "mode", "baseline",
            "restore_best_weights", "start_from_epoch");

    static EarlyStopping parse(KerasObject o) {
        String monitor = o.text("monitor", "val_loss", null);
        return new EarlyStopping(monitor, Math.abs(o.number("min_delta", 0)), nonNegative(o, "patience", 0),
                Callback.maximises(o, monitor), o.has("baseline") ? o.number("baseline", 0) : null,
                o.bool("restore_best_weights", false), nonNegative(o, "start_from_epoch", 0), o.toJson());
    }

    static int nonNegative(KerasObject o, String arg, int defaultValue) {
        int v = o.integer(arg, defaultValue);
        if (v < 0) {
            throw new LosslabException(o.where(arg) + ": must be >= 0, found " + v);
        }
        return v;
    }

    @Override
    public Run start() {
        return new State();
    }

    /** Keras' instance variables: wait, best, best_weights, best_epoch, stopped_epoch. */
    public final class State implements Run {
        private int wait;
        private Double best;
        private Object bestWeights;
        private int bestEpoch = -1;
        private int stoppedEpoch = -1;
        private boolean restored;

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs, Control control) {
            Double current = logs.get(monitor);
            if (current == null || Double.isNaN(current) || epoch < startFromEpoch) {
                return;
            }
            if (restoreBestWeights && bestWeights == null) {
                bestWeights = control.weights();
                bestEpoch = epoch;
            }
            wait++;
            if (Callback.improves(current, best, maximise, minDelta)) {
                best = current;
                bestEpoch = epoch;
                if (restoreBestWeights) {
                    bestWeights = control.weights();
                }
                if (baseline == null || Callback.improves(current, baseline, maximise, minDelta)) {
                    wait = 0;
                }
                return;
            }
            if (wait >= patience && epoch > 0) {
                stoppedEpoch = epoch;
                control.stopTraining();
            }
        }

        @Override
        public void onTrainEnd(Control control) {
            if (restoreBestWeights && bestWeights != null) {
                control.restoreWeights(bestWeights);
                restored = true;
            }
        }

        /** The 0-based epoch that stopped training, or -1. */
        public int stoppedEpoch() {
            return stoppedEpoch;
        }

        /** The 0-based epoch whose weights were restored, or -1. */
        public int restoredEpoch() {
            return restored ? bestEpoch : -1;
        }

        public int bestEpoch() {
            return bestEpoch;
        }
    }

    @Override
    public com.fasterxml.jackson.databind.node.ObjectNode toConfig() {
        var o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        var a = o.putObject("EarlyStopping");
        a.put("monitor", monitor);
        a.put("min_delta", minDelta);
        a.put("patience", patience);
        a.put("verbose", 0);
        a.put("mode", maximise ? "max" : "min");
        if (baseline == null) {
            a.putNull("baseline");
        } else {
            a.put("baseline", baseline);
        }
        a.put("restore_best_weights", restoreBestWeights);
        a.put("start_from_epoch", startFromEpoch);
        return o;
    }
}
