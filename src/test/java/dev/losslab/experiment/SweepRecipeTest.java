package dev.losslab.experiment;

import dev.losslab.recipe.SGD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.losslab.LosslabException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sweep that varies the optimizer: every (split, loss, seed) runs with each, named by its class in run names. */
class SweepRecipeTest {
    static ExperimentConfig parse(String json) throws Exception {
        return RunConfig.JSON.readValue(json, ExperimentConfig.class);
    }

    @Test
    void eachOptimizerIsAMethodNamedByItsClass() throws Exception {
        ExperimentConfig c = parse("""
                {"name": "opt", "classes": [0, 1], "distributions": [[0.9, 0.1]], "losses": ["crossentropy",
                 "crossentropy+class_balanced"], "epochs": 2, "seeds": [1, 2],
                 "optimizers": ["Adam", {"SGD": {"learning_rate": 0.1}}, {"SGD": {"learning_rate": 0.1, "momentum": 0.9}}]}
                """);
        List<ExperimentConfig.Run> runs = c.runs();
        assertEquals(2 * 3 * 2, runs.size());
        assertEquals(List.of("crossentropy+adam", "crossentropy+sgd1", "crossentropy+sgd2", "crossentropy+class_balanced+adam",
                "crossentropy+class_balanced+sgd1", "crossentropy+class_balanced+sgd2"),
                runs.stream().map(ExperimentConfig.Run::loss).distinct().toList());
        RunConfig sgd2 = runs.stream().filter(r -> r.id().equals("90-10-crossentropy+sgd2-seed2")).findFirst().orElseThrow()
                .config();
        assertEquals(0.9, ((SGD) sgd2.recipe().optimizer()).momentum());
        assertEquals("crossentropy+sgd2", sgd2.method());
        assertEquals("crossentropy+class_balanced+adam", runs.stream().filter(r -> r.id().startsWith(
                "90-10-crossentropy+class_balanced+adam")).findFirst().orElseThrow().config().method());
    }

    @Test
    void wholeRecipesAreComparedByName() throws Exception {
        ExperimentConfig c = parse("""
                {"name": "rec", "classes": [0, 1], "distributions": [[0.9, 0.1]], "losses": ["crossentropy"], "epochs": 4,
                 "seeds": [1], "optimizer": {"SGD": {"learning_rate": 0.1}},
                 "recipes": [{"name": "plain"},
                             {"name": "flip-es", "augmentation": [{"RandomFlip": {"mode": "horizontal"}}],
                              "callbacks": [{"EarlyStopping": {"patience": 1}}], "sampling": "class_balanced"},
                             {"name": "adamw", "optimizer": "AdamW"}]}
                """);
        List<ExperimentConfig.Run> runs = c.runs();
        assertEquals(List.of("90-10-crossentropy+plain-seed1", "90-10-crossentropy+class_balanced+flip-es-seed1",
                "90-10-crossentropy+adamw-seed1"), runs.stream().map(ExperimentConfig.Run::id).toList());
        for (ExperimentConfig.Run r : runs) {
            assertEquals(r.loss(), r.config().method(), "run names and reports agree");
        }
        var plain = runs.get(0).config().recipe();
        assertEquals("SGD", plain.optimizer().kind());
        assertEquals(0, plain.callbacks().size());
        var flip = runs.get(1).config().recipe();
        assertEquals("SGD", flip.optimizer().kind(), "unset fields are the sweep's");
        assertEquals(1, flip.augmentation().layers().size());
        assertEquals("class_balanced", flip.sampling().type());
        assertEquals("crossentropy+class_balanced+flip-es", runs.get(1).config().method());
        assertEquals("AdamW", runs.get(2).config().recipe().optimizer().kind());
        assertEquals("recipes[0].seed: unknown field (valid: name, optimizer, callbacks, sampling, augmentation)",
                assertThrows(LosslabException.class, () -> parse("""
                        {"name": "rec", "classes": [0, 1], "distributions": [[0.9, 0.1]], "losses": ["crossentropy"],
                         "seeds": [1], "recipes": [{"name": "a", "seed": 3}]}
                        """).runs()).getMessage());
        assertEquals("recipes[1].name: 'a' is used twice", assertThrows(LosslabException.class, () -> parse("""
                {"name": "rec", "classes": [0, 1], "distributions": [[0.9, 0.1]], "losses": ["crossentropy"],
                 "seeds": [1], "recipes": [{"name": "a"}, {"name": "a"}]}
                """).runs()).getMessage());
    }

    @Test
    void optimizerAndOptimizersTogetherAreOneLine() {
        assertEquals("give optimizer (every run's) or optimizers (several to compare), not both",
                assertThrows(LosslabException.class, () -> parse("""
                        {"name": "opt", "classes": [0, 1], "distributions": [[0.9, 0.1]], "losses": ["crossentropy"],
                         "seeds": [1], "optimizer": "SGD", "optimizers": ["Adam"]}
                        """).runs()).getMessage());
        assertEquals("optimizers: empty list", assertThrows(LosslabException.class, () -> parse("""
                {"name": "opt", "classes": [0, 1], "distributions": [[0.9, 0.1]], "losses": ["crossentropy"],
                 "seeds": [1], "optimizers": []}
                """).runs()).getMessage());
    }
}
