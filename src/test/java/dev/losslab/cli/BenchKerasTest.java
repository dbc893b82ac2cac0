package dev.losslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code bench --keras FILE --profile} times the file's own network for its own classes (no --classes by hand). */
class BenchKerasTest {
    @Test
    void profileTakesTheFilesClassCount() {
        Path file = Path.of("..", "shared", "reference", "keras-files", "train-init.keras");
        var o = CliTest.cli("bench", "--keras", file.toString(), "--profile", "--steps", "2", "--batch", "8");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("op_ms_per_step_"), o.out());
    }
}
