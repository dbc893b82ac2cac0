package dev.losslab.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import org.junit.jupiter.api.Test;

/** Each schedule against Keras 3's formula, worked by hand at and around its boundaries. */
class LearningRateTest {
    static LearningRate parse(String json) {
        try {
            return LearningRate.parse("learning_rate", new ObjectMapper().readTree(json));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static void near(double want, double got) {
        assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)));
    }

    @Test
    void exponentialAndInverseTime() {
        LearningRate e = parse("{\"ExponentialDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 10, \"decay_rate\": 0.5}}");
        near(0.1, e.at(0));
        near(0.05, e.at(10));
        near(0.1 * Math.pow(0.5, 1.5), e.at(15));
        LearningRate stair = parse("{\"ExponentialDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 10, "
                + "\"decay_rate\": 0.5, \"staircase\": true}}");
        near(0.1, stair.at(9));
        near(0.05, stair.at(15));
        LearningRate inv = parse("{\"InverseTimeDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 10, \"decay_rate\": 0.5}}");
        near(0.05, inv.at(20));
        near(0.1 / 1.25, inv.at(5));
    }

    @Test
    void piecewiseIsInclusiveAtEachBoundary() {
        LearningRate p = parse("{\"PiecewiseConstantDecay\": {\"boundaries\": [10, 20], \"values\": [1.0, 0.5, 0.1]}}");
        near(1.0, p.at(0));
        near(1.0, p.at(10));
        near(0.5, p.at(11));
        near(0.5, p.at(20));
        near(0.1, p.at(21));
    }

    @Test
    void polynomialWithAndWithoutCycle() {
        LearningRate p = parse("{\"PolynomialDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 10, "
                + "\"end_learning_rate\": 0.01, \"power\": 2}}");
        near(0.1, p.at(0));
        near(0.09 * 0.25 + 0.01, p.at(5));
        near(0.01, p.at(10));
        near(0.01, p.at(25));
        LearningRate c = parse("{\"PolynomialDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 10, "
                + "\"end_learning_rate\": 0.01, \"power\": 2, \"cycle\": true}}");
        near(0.09 * 0.0625 + 0.01, c.at(15)); // decay_steps doubled to 20: p = 0.75
        near(0.1, c.at(0));
    }

    @Test
    void cosineWithWarmupAndRestarts() {
        LearningRate c = parse("{\"CosineDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 10, \"alpha\": 0.1}}");
        near(0.1, c.at(0));
        near(0.1 * (0.9 * 0.5 + 0.1), c.at(5));
        near(0.01, c.at(10));
        near(0.01, c.at(100));
        LearningRate w = parse("{\"CosineDecay\": {\"initial_learning_rate\": 0.0, \"decay_steps\": 10, \"alpha\": 0.1, "
                + "\"warmup_target\": 0.2, \"warmup_steps\": 4}}");
        near(0.0, w.at(0));
        near(0.1, w.at(2));
        near(0.2, w.at(4));
        near(0.2 * (0.9 * 0.5 + 0.1), w.at(9));
        near(0.02, w.at(50));
        // the keras-files reference: CosineDecay(0, 3, warmup_target 0.01, warmup_steps 1) makes no move on step 1
        LearningRate k = parse("{\"CosineDecay\": {\"initial_learning_rate\": 0.0, \"decay_steps\": 3, "
                + "\"warmup_target\": 0.01, \"warmup_steps\": 1}}");
        near(0.0, k.at(0));
        near(0.01, k.at(1));
        near(0.01 * 0.5 * (1 + Math.cos(Math.PI / 3)), k.at(2));
        LearningRate r = parse("{\"CosineDecayRestarts\": {\"initial_learning_rate\": 1.0, \"first_decay_steps\": 10, "
                + "\"m_mul\": 0.5}}");
        near(1.0, r.at(0));
        near(0.5, r.at(5));
        near(0.5, r.at(10)); // first restart: peak times m_mul
        near(0.25, r.at(20)); // halfway through the second period (20 steps long)
        near(0.25, r.at(30)); // second restart
        LearningRate flat = parse("{\"CosineDecayRestarts\": {\"initial_learning_rate\": 1.0, \"first_decay_steps\": 10, "
                + "\"t_mul\": 1.0}}");
        near(1.0, flat.at(10));
        near(0.5, flat.at(15));
    }

    @Test
    void epochsAndLinearWarmupConvertWithTheRunsStepsPerEpoch() {
        // LDAM-DRW: 0.1 with 5 warm-up epochs, x0.01 after epoch 160 and again after 180
        LearningRate ldam = parse("{\"PiecewiseConstantDecay\": {\"boundaries\": [160, 180], \"values\": [0.1, 0.001, 0.00001], "
                + "\"unit\": \"epochs\", \"linear_warmup\": 5}}").inSteps(10);
        near(0.1 / 50, ldam.at(0));
        near(0.1 * 25 / 50, ldam.at(24));
        near(0.1, ldam.at(49));
        near(0.1, ldam.at(1600));
        near(0.001, ldam.at(1601));
        near(0.00001, ldam.at(1801));
        assertThrows(IllegalStateException.class, () -> parse("{\"CosineDecay\": {\"initial_learning_rate\": 0.1, "
                + "\"decay_steps\": 3, \"unit\": \"epochs\"}}").at(0), "epochs need steps per epoch");
        near(0.1, parse("{\"CosineDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 3, \"unit\": \"epochs\"}}")
                .initial());
    }

    @Test
    void badSchedulesAreOneLineNamingTheField() {
        String[][] cases = {
                {"{\"PiecewiseConstantDecay\": {\"boundaries\": [10, 20], \"values\": [1.0, 0.5]}}",
                        "learning_rate.PiecewiseConstantDecay: boundaries and values must have lengths n and n + 1, found 2 and 2"},
                {"{\"CosineDecay\": {\"initial_learning_rate\": -0.1, \"decay_steps\": 3}}",
                        "learning_rate.CosineDecay.initial_learning_rate: must be >= 0, found -0.1"},
                {"{\"ExponentialDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 0, \"decay_rate\": 0.5}}",
                        "learning_rate.ExponentialDecay.decay_steps: must be > 0, found 0.0"},
                {"{\"ExponentialDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 3}}",
                        "learning_rate.ExponentialDecay.decay_rate: required"},
                {"{\"StepDecay\": {}}", "learning_rate: unknown 'StepDecay'; supported: [CosineDecay, CosineDecayRestarts, "
                        + "ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay]"},
                {"{\"CosineDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 3, \"warmup\": 2}}",
                        "learning_rate.CosineDecay.warmup: CosineDecay has no argument 'warmup'; valid: [alpha, decay_steps, "
                                + "initial_learning_rate, linear_warmup, name, unit, warmup_steps, warmup_target]"},
                {"{\"CosineDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 3, \"unit\": \"days\"}}",
                        "learning_rate.CosineDecay.unit: expected one of [epochs, steps], found \"days\""},
                {"-0.5", "learning_rate: must be a finite number >= 0, found -0.5"},
        };
        for (String[] c : cases) {
            var e = assertThrows(LosslabException.class, () -> parse(c[0]), c[0]);
            assertEquals(c[1], e.getMessage());
            assertTrue(e.getMessage().lines().count() == 1);
        }
    }
}
