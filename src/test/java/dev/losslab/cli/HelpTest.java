package dev.losslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.network.layers.ImageAugmentation;
import dev.losslab.recipe.Optimizer;
import org.junit.jupiter.api.Test;

/** The help says what each command does: `losslab help [command]`, and the shared options' help true per command. */
class HelpTest {
    @Test
    void helpAndEachCommandsOptionsAreTrue() {
        var top = CliTest.cli("help");
        assertEquals(0, top.status(), top.err());
        assertTrue(top.out().contains("Usage: losslab"), top.out());
        assertFalse(top.out().contains(". npz"), "a file extension is not split by the line wrap: " + top.out());
        var exp = CliTest.cli("help", "experiment");
        assertEquals(0, exp.status(), exp.err());
        assertTrue(exp.out().contains("TF intra-op threads of each run; 0 (default) = 1"), exp.out());
        assertFalse(exp.out().contains("0 = all cores (default)"), exp.out());
        var predict = CliTest.cli("predict", "--help");
        assertEquals(0, predict.status(), predict.err());
        assertFalse(predict.out().contains("config's"), "predict has no config: " + predict.out());
        var train = CliTest.cli("train", "--help");
        assertTrue(train.out().contains("overrides the config's"), train.out());
        for (String name : Optimizer.REGISTRY.names()) {
            assertTrue(train.out().contains(name), "train's help names the optimizer " + name);
        }
        for (String name : ImageAugmentation.REGISTRY.names()) {
            assertTrue(train.out().contains(name), "train's help names the augmentation layer " + name);
        }
        assertEquals(0, CliTest.cli("warmup", "--help").status());
        var tune = CliTest.cli("tune", "--help");
        assertTrue(tune.out().contains("balanced accuracy") && tune.out().contains("--selection-folds"), tune.out());
        assertTrue(CliTest.cli("summary", "--help").out().contains(".keras"));
        assertTrue(CliTest.cli("plot", "--help").out().contains("reliability"));
    }
}
