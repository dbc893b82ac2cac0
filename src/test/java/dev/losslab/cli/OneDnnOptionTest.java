package dev.losslab.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.losslab.train.OneDnn;
import org.junit.jupiter.api.Test;

/** --onednn is checked against what the process runs with (the launcher sets it before TensorFlow starts). */
class OneDnnOptionTest {
    @Test
    void anUnknownValueIsOneLine() {
        CliTest.assertOneLineError(CliTest.cli("bench", "--onednn", "maybe", "--steps", "1"), "--onednn: unknown 'maybe'; valid: auto, on, off");
    }

    @Test
    void aChoiceTheProcessDoesNotRunWithSaysHowToGetIt() {
        String state = OneDnn.state();
        String other = state.startsWith("on") ? "off" : "on";
        assumeTrue(System.getenv(OneDnn.ENV) == null || !state.startsWith(other));
        CliTest.assertOneLineError(CliTest.cli("bench", "--onednn", other, "--steps", "1"),
                "--onednn " + other + " must be set before TensorFlow starts: run through tools/losslab, or set "
                        + OneDnn.ENV);
    }
}
