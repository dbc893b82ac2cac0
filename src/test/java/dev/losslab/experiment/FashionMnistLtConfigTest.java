package dev.losslab.experiment;

import dev.losslab.recipe.SGD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The long-tailed study's config: 11 methods x 2 ratios x 5 seeds, the field's recipe, tuning for balanced accuracy. */
class FashionMnistLtConfigTest {
    @Test
    void theStudyExpandsToEveryMethodRatioAndSeed() {
        ExperimentConfig c = ExperimentConfig.load(Path.of("configs", "fashion-mnist-lt.json"));
        List<ExperimentConfig.Run> runs = c.runs();
        assertEquals(110, runs.size());
        assertEquals(List.of("exp100", "exp10"), runs.stream().map(ExperimentConfig.Run::split).distinct().toList());
        assertTrue(runs.stream().anyMatch(r -> r.id().equals("exp10-crossentropy+class_balanced-from20-seed5")));
        RunConfig drs = runs.stream().filter(r -> r.id().equals("exp100-crossentropy+class_balanced-from20-seed1"))
                .findFirst().orElseThrow().config();
        assertEquals("crossentropy", drs.loss());
        assertEquals("crossentropy+class_balanced-from20", drs.method());
        assertEquals(20, drs.recipe().sampling().fromEpoch());
        RunConfig ce = runs.get(0).config();
        assertEquals("crossentropy", ce.method());
        assertEquals("SGD", ce.recipe().optimizer().kind());
        assertEquals(0.9, ((SGD) ce.recipe().optimizer()).momentum());
        assertEquals("balanced_accuracy", ce.objective());
        assertTrue(ce.tuning().contains("logit_adjustment"));
        assertEquals(2, ce.recipe().augmentation().layers().size());
        // LDAM runs on the paper's normalised classifier (its s = 30 scales cosines); the others on a plain Dense
        RunConfig ldam = runs.stream().filter(r -> r.id().equals("exp10-ldam-seed3")).findFirst().orElseThrow().config();
        var ldamLayers = ldam.model().network(10).layers();
        var ceLayers = ce.model().network(10).layers();
        assertEquals("NormedDense", ldamLayers.get(ldamLayers.size() - 1).className());
        assertEquals("Dense", ceLayers.get(ceLayers.size() - 1).className());
        assertEquals(ceLayers.size(), ldamLayers.size());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        try {
            var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(Path.of("configs", "fashion-mnist-lt.json")
                    .toFile());
            ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("lossModels")).set("nope", tree.get("model"));
            Path bad = java.nio.file.Files.createTempFile("lt-bad", ".json");
            java.nio.file.Files.writeString(bad, tree.toString());
            var e = assertThrows(dev.losslab.LosslabException.class, () -> ExperimentConfig.load(bad));
            assertTrue(e.getMessage().contains("lossModels: 'nope' is not one of the sweep's losses"), e.getMessage());
            java.nio.file.Files.delete(bad);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
