package dev.losslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.testing.TestData;
import dev.losslab.train.OneDnn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oneDNN setting: {@code --onednn} or the config's {@code "onednn"} key; a process that started with
 * the other setting runs the command again in a child JVM with it (TF reads the variable only at start).
 */
class OneDnnOptionTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownValueIsOneLine() throws IOException {
        CliTest.assertOneLineError(CliTest.cli("bench", "--onednn", "maybe", "--steps", "1"), "--onednn: unknown 'maybe'; valid: auto, on, off");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, """
                {"name": "x", "classes": [0, 1], "distribution": [0.5, 0.5], "loss": "crossentropy", "onednn": "fast"}
                """);
        CliTest.assertOneLineError(CliTest.cli("train", "--config", bad.toString(), "--out", dir.resolve("o").toString()),
                "onednn: unknown 'fast'; valid: auto, on, off");
        Files.writeString(bad, """
                {"name": "x", "classes": [0, 1], "distribution": [0.5, 0.5], "loss": "crossentropy", "onednn": true}
                """);
        CliTest.assertOneLineError(CliTest.cli("train", "--config", bad.toString(), "--out", dir.resolve("o").toString()),
                "invalid value for 'onednn'");
    }

    /** The config asks for the setting this test JVM does not run with: the run happens in a child JVM with it. */
    @Test
    void theConfigsChoiceRunsTheCommandAgainInAChildWithIt() throws IOException {
        String state = OneDnn.state();
        String other = state.startsWith("on") ? "off" : "on";
        assumeTrue(System.getenv(OneDnnChoice.CHILD_ENV) == null);
        Path data = dir.resolve("data");
        TestData.writeSynthetic(data, 40, 10, 3);
        Path config = dir.resolve("c.json");
        Files.writeString(config, """
                {"name": "c", "classes": [1, 2], "distribution": [0.8, 0.2], "loss": "crossentropy", "epochs": 1,
                 "batchSize": 16, "seed": 2, "onednn": "%s"}
                """.formatted(other));
        Path out = dir.resolve("run");
        var o = CliTest.cli("train", "--config", config.toString(), "--out", out.toString(), "--data-dir", data.toString(),
                "--no-tensorboard", "--threads", "1");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.err().contains("running the command again with " + OneDnn.ENV), o.err());
        assertTrue(o.err().contains("test accuracy"), "the child's log is relayed: " + o.err());
        String recorded = new ObjectMapper().readTree(out.resolve("run.json").toFile()).get("onednn").asText();
        assertTrue(recorded.startsWith(other + " (" + OneDnn.ENV), recorded);
        // --onednn wins over the config: asking for this process's own setting runs in-process
        Path here = dir.resolve("here");
        var same = CliTest.cli("train", "--config", config.toString(), "--out", here.toString(), "--data-dir",
                data.toString(), "--no-tensorboard", "--threads", "1", "--onednn", state.startsWith("on") ? "on" : "off");
        assertEquals(0, same.status(), same.err());
        assertTrue(!same.err().contains("running the command again"), same.err());
        String own = new ObjectMapper().readTree(here.resolve("run.json").toFile()).get("onednn").asText();
        assertTrue(own.startsWith(state.substring(0, state.indexOf(' '))), own);
    }
}
