package dev.losslab.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * EarlyStopping and ReduceLROnPlateau on scripted validation sequences, against what Keras 3's code does with
 * them (worked by hand from keras/src/callbacks): when training stops, which epoch's weights come back, when
 * and how far the rate drops.
 */
class CallbackTest {
    static Callback parse(String json) throws Exception {
        return Callback.parseList("callbacks", new ObjectMapper().readTree("[" + json + "]")).get(0);
    }

    /** Runs a callback over a sequence of monitored values; the "weights" are the epoch numbers. */
    static final class Script implements Callback.Control {
        boolean stopped;
        double rate = 1.0;
        int weights = -1;
        final List<Double> rates = new ArrayList<>();
        int stoppedAt = -1;

        int run(Callback c, String monitor, double... values) {
            Callback.Run r = c.start();
            int epoch = 0;
            for (; epoch < values.length && !stopped; epoch++) {
                weights = epoch;
                r.onEpochEnd(epoch, Map.of(monitor, values[epoch]), this);
                rates.add(rate);
                if (stopped) {
                    stoppedAt = epoch;
                }
            }
            r.onTrainEnd(this);
            return epoch;
        }

        @Override
        public void stopTraining() {
            stopped = true;
        }

        @Override
        public double learningRate() {
            return rate;
        }

        @Override
        public void setLearningRate(double r) {
            rate = r;
        }

        @Override
        public Object weights() {
            return weights;
        }

        @Override
        public void restoreWeights(Object w) {
            weights = (Integer) w;
        }
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestEpoch() throws Exception {
        Script s = new Script();
        int ran = s.run(parse("{\"EarlyStopping\": {\"monitor\": \"val_loss\", \"patience\": 2, \"restore_best_weights\": true}}"),
                "val_loss", 1.0, 0.8, 0.9, 0.85, 0.7, 0.6);
        assertEquals(4, ran, "0.9 and 0.85 do not beat 0.8: stops at the second (epoch index 3)");
        assertEquals(3, s.stoppedAt);
        assertEquals(1, s.weights, "the weights of epoch index 1 (0.8)");
        // min_delta: 0.79 is not better than 0.8 by more than 0.05
        Script d = new Script();
        d.run(parse("{\"EarlyStopping\": {\"patience\": 1, \"min_delta\": 0.05}}"), "val_loss", 1.0, 0.8, 0.79, 0.5);
        assertEquals(2, d.stoppedAt);
        assertEquals(2, d.weights, "no restore without restore_best_weights");
    }

    @Test
    void earlyStoppingInMaxModeWithStartFromEpochAndBaseline() throws Exception {
        Script s = new Script();
        s.run(parse("{\"EarlyStopping\": {\"monitor\": \"val_balanced_accuracy\", \"patience\": 1, \"start_from_epoch\": 2, "
                + "\"restore_best_weights\": true}}"), "val_balanced_accuracy", 0.9, 0.1, 0.5, 0.6, 0.55, 0.7);
        assertEquals(4, s.stoppedAt, "epochs 0 and 1 are ignored; 0.55 after 0.6 stops at index 4");
        assertEquals(3, s.weights);
        // a baseline not beaten: the wait never restarts, so patience counts from the first epoch (Keras 3 resets
        // best to None at the start, so improvements still return before the stop check)
        Script b = new Script();
        b.run(parse("{\"EarlyStopping\": {\"monitor\": \"val_accuracy\", \"patience\": 3, \"baseline\": 0.95}}"),
                "val_accuracy", 0.5, 0.6, 0.55, 0.58, 0.9);
        assertEquals(2, b.stoppedAt);
        Script nb = new Script();
        nb.run(parse("{\"EarlyStopping\": {\"monitor\": \"val_accuracy\", \"patience\": 3}}"),
                "val_accuracy", 0.5, 0.6, 0.55, 0.58, 0.9);
        assertEquals(-1, nb.stoppedAt, "without the baseline the same sequence runs on");
        // runs to the end: the best weights still come back (Keras 3)
        Script e = new Script();
        e.run(parse("{\"EarlyStopping\": {\"monitor\": \"val_auc\", \"patience\": 5, \"restore_best_weights\": true}}"),
                "val_auc", 0.5, 0.9, 0.8);
        assertEquals(-1, e.stoppedAt);
        assertEquals(1, e.weights);
    }

    @Test
    void reduceLrOnPlateauWithCooldownAndFloor() throws Exception {
        Script s = new Script();
        s.run(parse("{\"ReduceLROnPlateau\": {\"monitor\": \"val_loss\", \"factor\": 0.5, \"patience\": 2, \"cooldown\": 1, "
                + "\"min_lr\": 0.2, \"min_delta\": 0}}"), "val_loss", 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
        // best at epoch 0; wait 1, 2 -> 0.5 with cooldown 1; the cooldown ends in the next epoch, which also counts
        // wait 1 (Keras checks in_cooldown again after the decrement); wait 2 -> 0.25; ... 0.125 floored at 0.2; then
        // 0.2 is not above float32(0.2), so no further change
        assertEquals(List.of(1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2), s.rates);
        Script up = new Script();
        up.run(parse("{\"ReduceLROnPlateau\": {\"monitor\": \"val_macro_f1\", \"patience\": 1}}"), "val_macro_f1",
                0.5, 0.6, 0.6, 0.7);
        assertEquals(List.of(1.0, 1.0, 0.1, 0.1), up.rates, "max mode from the name; 0.6 again is no improvement");
    }

    @Test
    void badCallbacksAreOneLine() {
        String[][] cases = {
                {"{\"EarlyStopping\": {\"monitor\": \"val_f2\"}}", "callbacks[0].EarlyStopping.monitor: 'val_f2' is not computed; "
                        + "valid: [accuracy, loss, val_accuracy, val_auc, val_balanced_accuracy, val_ece, val_loss, val_macro_f1]"},
                {"{\"EarlyStopping\": {\"patience\": -1}}", "callbacks[0].EarlyStopping.patience: must be >= 0, found -1"},
                {"{\"EarlyStopping\": {\"restore\": true}}", "callbacks[0].EarlyStopping.restore: EarlyStopping has no argument "
                        + "'restore'; valid: [baseline, min_delta, mode, monitor, patience, restore_best_weights, "
                        + "start_from_epoch, verbose]"},
                {"{\"ReduceLROnPlateau\": {\"factor\": 1.5}}", "callbacks[0].ReduceLROnPlateau.factor: must be in [0, 1) (Keras "
                        + "refuses a factor >= 1), found 1.5"},
                {"{\"ModelCheckpoint\": {}}", "callbacks[0]: unknown 'ModelCheckpoint'; supported: [EarlyStopping, ReduceLROnPlateau]"},
                {"{\"EarlyStopping\": {\"mode\": \"up\"}}", "callbacks[0].EarlyStopping.mode: expected one of [auto, max, min], "
                        + "found \"up\""},
        };
        for (String[] c : cases) {
            assertEquals(c[1], assertThrows(LosslabException.class, () -> parse(c[0]), c[0]).getMessage());
        }
    }
}
