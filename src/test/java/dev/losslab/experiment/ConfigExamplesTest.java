package dev.losslab.experiment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.loss.LossRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example configs under {@code configs/examples/} are well-formed sweep configs with a data block
 * that names one source or a network that parses, and only known losses (their image files are the user's, so not read here;
 * {@code OwnDataCliTest} runs folder configs end to end).
 */
class ConfigExamplesTest {
    @Test
    void everyExampleParsesAndNamesKnownLosses() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("configs", "examples"))) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            ExperimentConfig c = RunConfig.JSON.readValue(f.toFile(), ExperimentConfig.class);
            assertTrue(c.data() != null || c.model() != null, f + " shows own data or an own network");
            if (c.data() != null) {
                c.data().validate();
            }
            if (c.model() != null) {
                c.model().network(c.classes() == null ? 2 : c.classes().length);
            }
            for (String loss : c.losses()) {
                assertTrue(LossRegistry.entries().containsKey(ExperimentConfig.baseLoss(loss)), f + ": unknown loss " + loss);
            }
            // the training recipe parses (optimizer, schedule, callbacks, sampler, augmentation)
            dev.losslab.recipe.Recipe.parse(c.learningRate(), c.optimizer(), c.callbacks(), c.sampling(), c.augmentation(),
                    c.epochs() == null ? 10 : c.epochs(), true, 1);
            assertTrue(AnyConfig.isSweep(f), f + " is a sweep config");
        }
    }
}
