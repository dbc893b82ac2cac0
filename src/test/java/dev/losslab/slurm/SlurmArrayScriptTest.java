package dev.losslab.slurm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The task command carries the sweep's options: --no-tensorboard only when asked, the oneDNN export always. */
class SlurmArrayScriptTest {
    @Test
    void noTensorboardReachesTheTasksOnlyWhenAsked() {
        dev.losslab.util.JavaLauncher.register(dev.losslab.cli.Main.class);
        Path config = Path.of("configs/quickstart.json");
        String quiet = new SlurmArrayScript(config, Path.of("runs/x"), "quickstart", 2, 1, null, null, null, "cpu", false)
                .render();
        String logged = new SlurmArrayScript(config, Path.of("runs/x"), "quickstart", 2, 1, null, null, null, "cpu").render();
        assertTrue(quiet.lines().anyMatch(l -> l.contains(" experiment ") && l.contains(" --no-tensorboard")), quiet);
        assertFalse(logged.contains("--no-tensorboard"), logged);
        assertTrue(quiet.contains("export TF_ENABLE_ONEDNN_OPTS="), quiet);
        assertTrue(quiet.contains("export TF_OVERRIDE_GLOBAL_THREADPOOL="), "each session its own thread pool: " + quiet);
    }
}
