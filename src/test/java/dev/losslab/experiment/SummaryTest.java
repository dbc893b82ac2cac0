package dev.losslab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The summary's regenerate line names the config that was run, as a reader would type it. */
class SummaryTest {
    private static final ExperimentConfig CONFIG = new ExperimentConfig("lt", null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    @Test
    void theRegenerateLineNamesTheConfigFileThatRan() {
        assertEquals("configs/examples/cifar10-lt.json",
                Summary.shownConfig(CONFIG, Path.of("configs/examples/cifar10-lt.json")));
        assertEquals("configs/examples/cifar10-lt.json",
                Summary.shownConfig(CONFIG, Path.of("").toAbsolutePath().resolve("configs/./examples/cifar10-lt.json")));
        assertEquals("/elsewhere/lt.json", Summary.shownConfig(CONFIG, Path.of("/elsewhere/lt.json")));
        assertEquals("configs/lt.json", Summary.shownConfig(CONFIG, null), "unknown: the committed configs' place");
    }

    @Test
    void theRegenerateLineNamesTheOutputFolderAsTyped() {
        assertEquals("results/lt", Summary.shownPath(Path.of("").toAbsolutePath().resolve("results/./lt")));
        assertEquals("results/lt", Summary.shownPath(Path.of("results/lt")));
        assertEquals("/elsewhere/results/lt", Summary.shownPath(Path.of("/elsewhere/results/lt")));
    }
}
