package dev.losslab.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The optimizer vocabulary: every registered optimizer read from its name alone gets Keras' defaults, written back
 * ({@link Optimizer#toConfig}) with every argument, and read back to the same optimizer; arguments are checked once,
 * by name, with one-line errors.
 */
class OptimizerConfigTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Optimizer parse(String json) throws Exception {
        return Optimizer.parse("optimizer", JSON.readTree(json));
    }

    @Test
    void everyOptimizerWritesItselfBackAndReadsBackTheSame() throws Exception {
        assertEquals(List.of("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Nadam", "Adamax"), List.copyOf(Optimizer.names()));
        for (String name : Optimizer.names()) {
            Optimizer o = parse("\"" + name + "\"");
            JsonNode config = o.toConfig();
            Optimizer again = Optimizer.parse("optimizer", config);
            assertEquals(config, again.toConfig(), name);
            assertEquals(o.describe(), again.describe(), name);
            assertEquals(name, o.kind());
        }
        // Keras' defaults, written in each class once
        assertEquals(0.01, parse("\"SGD\"").toConfig().at("/SGD/learning_rate").asDouble());
        assertEquals(0.001, parse("\"Adam\"").toConfig().at("/Adam/learning_rate").asDouble());
        assertEquals(0.004, parse("\"AdamW\"").toConfig().at("/AdamW/weight_decay").asDouble());
        assertEquals(0.1, parse("\"Adagrad\"").toConfig().at("/Adagrad/initial_accumulator_value").asDouble());
        assertEquals(1e-7, parse("\"RMSprop\"").toConfig().at("/RMSprop/epsilon").asDouble());
    }

    @Test
    void aScheduleAndEveryArgumentSurviveTheRoundTrip() throws Exception {
        String json = """
                {"SGD": {"learning_rate": {"CosineDecay": {"initial_learning_rate": 0.0, "warmup_target": 0.1,
                  "warmup_steps": 1, "decay_steps": 23, "unit": "epochs"}}, "momentum": 0.9, "nesterov": true,
                  "weight_decay": 0.0005, "clipnorm": 1.0}}""";
        Optimizer o = parse(json);
        Optimizer again = Optimizer.parse("optimizer", o.toConfig());
        assertEquals(o.toConfig(), again.toConfig());
        assertEquals(o.learningRate().inSteps(10).at(37), again.learningRate().inSteps(10).at(37));
        assertEquals("epochs", o.toConfig().at("/SGD/learning_rate/CosineDecay/unit").asText());
        assertEquals(0.0, o.toConfig().at("/SGD/learning_rate/CosineDecay/alpha").asDouble(), "Keras' default written out");
        assertTrue(again instanceof SGD s && s.nesterov() && s.momentum() == 0.9);
        assertEquals(0.0005, again.weightDecay());
        // a fine-tuning phase's recompile keeps everything but the rate
        Optimizer slow = o.withConstantRate(1e-4);
        assertEquals(1e-4, slow.toConfig().at("/SGD/learning_rate").asDouble());
        assertEquals(0.9, slow.toConfig().at("/SGD/momentum").asDouble());
        assertEquals(1.0, slow.clipnorm());
    }

    /** Every schedule of the registry: written back with Keras' arguments, read back to the same rates. */
    @Test
    void everyScheduleWritesItselfBack() throws Exception {
        List<String> schedules = List.of(
                "{\"ExponentialDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 10, \"decay_rate\": 0.5}}",
                "{\"PiecewiseConstantDecay\": {\"boundaries\": [5, 8], \"values\": [0.1, 0.01, 0.001], \"unit\": \"epochs\"}}",
                "{\"PolynomialDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 30, \"cycle\": true}}",
                "{\"InverseTimeDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 7, \"decay_rate\": 2, \"staircase\": true}}",
                "{\"CosineDecay\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 40, \"linear_warmup\": 3}}",
                "{\"CosineDecayRestarts\": {\"initial_learning_rate\": 0.1, \"first_decay_steps\": 9}}");
        assertEquals(schedules.size(), LearningRate.SCHEDULES.names().size());
        for (String json : schedules) {
            LearningRate r = LearningRate.parse("learning_rate", JSON.readTree(json)).inSteps(3);
            LearningRate back = LearningRate.parse("learning_rate", JSON.valueToTree(
                    LearningRate.parse("learning_rate", JSON.readTree(json)).toConfig())).inSteps(3);
            for (long step = 0; step < 60; step += 7) {
                assertEquals(r.at(step), back.at(step), json + " at step " + step);
            }
        }
    }

    @Test
    void argumentsAreCheckedByNameInOneLine() {
        LosslabException e = assertThrows(LosslabException.class, () -> parse("{\"SGD\": {\"beta_1\": 0.9}}"));
        assertTrue(e.getMessage().startsWith("optimizer.SGD.beta_1: SGD has no argument 'beta_1'"), e.getMessage());
        e = assertThrows(LosslabException.class, () -> parse("{\"Adam\": {\"use_ema\": true}}"));
        assertTrue(e.getMessage().contains("not supported by losslab"), e.getMessage());
        e = assertThrows(LosslabException.class, () -> parse("\"Lion\""));
        assertTrue(e.getMessage().contains("unknown 'Lion'"), e.getMessage());
        e = assertThrows(LosslabException.class, () -> parse("{\"AdamW\": {\"weight_decay\": null}}"));
        assertTrue(e.getMessage().contains("needs a weight decay"), e.getMessage());
        e = assertThrows(LosslabException.class, () -> parse("{\"SGD\": {\"clipnorm\": 1, \"clipvalue\": 1}}"));
        assertTrue(e.getMessage().contains("at most one of clipnorm"), e.getMessage());
    }
}
