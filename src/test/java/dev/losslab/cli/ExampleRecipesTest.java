package dev.losslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.losslab.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two recipes issue 27 names, from their example configs, run end to end on small synthetic data: the field's
 * LDAM-DRW CIFAR recipe (SGD 0.9, 5 warm-up epochs, x0.01 at 160 and 180, pad-crop-flip, deferred re-weighting and
 * deferred re-sampling) and a Keras user's fine-tuning recipe (AdamW, cosine decay with warm-up, flips,
 * rotations, zoom and contrast, early stopping on val_balanced_accuracy). The recipe fields are the examples' own;
 * only what the small data forces changes: the data, the classes, the epochs (deferrals from epoch 2), the crop
 * size (28) and a small network in place of ResNet-32.
 */
class ExampleRecipesTest {
    @TempDir
    static Path dir;
    static Path data;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void writeData() throws IOException {
        data = dir.resolve("data");
        TestData.writeSynthetic(data, 60, 20, 5);
    }

    static ObjectNode small(String example) throws IOException {
        ObjectNode c = (ObjectNode) JSON.readTree(Path.of("configs", "examples", example).toFile());
        c.remove("data");
        c.set("classes", JSON.readTree("[3, 7, 9]"));
        c.set("imbalances", JSON.readTree("[{\"type\": \"exp\", \"ratio\": 10}]"));
        c.put("epochs", 3);
        c.put("batchSize", 32);
        c.set("model", JSON.readTree("{\"layers\": [{\"Conv2D\": {\"filters\": 8, \"kernel_size\": 3, \"padding\": \"same\"}}, "
                + "{\"BatchNormalization\": {}}, {\"ReLU\": {}}, {\"GlobalAveragePooling2D\": {}}, "
                + "{\"Dense\": {\"units\": 3, \"activation\": \"softmax\"}}]}"));
        for (JsonNode layer : c.withArray("augmentation")) {
            if (layer.has("RandomCrop")) {
                ((ObjectNode) layer.get("RandomCrop")).put("height", 28).put("width", 28);
            }
        }
        return c;
    }

    @Test
    void theLdamDrwCifarRecipeRunsOnSmallData() throws IOException {
        ObjectNode c = small("ldam-drw-cifar10-lt.json");
        assertTrue(c.at("/optimizer/SGD/learning_rate/PiecewiseConstantDecay/linear_warmup").asInt() == 5);
        c.set("losses", JSON.readTree("[\"ldam\", \"crossentropy+class_balanced-from2\"]"));
        ((ObjectNode) c.get("lossParams").get("ldam")).put("drwEpoch", 2);
        Path f = dir.resolve("ldam.json");
        Files.writeString(f, c.toString());
        Path out = dir.resolve("ldam");
        var o = CliTest.cli("experiment", "--config", f.toString(), "--out", out.toString(), "--data-dir", data.toString(),
                "--jobs", "1", "--no-tensorboard");
        assertEquals(0, o.status(), o.err());
        JsonNode drs = JSON.readTree(out.resolve("runs/exp10-crossentropy+class_balanced-from2-seed1/run.json").toFile());
        assertEquals("ok", drs.get("status").asText());
        assertTrue(drs.at("/training/recipe").asText().contains("sampling class_balanced-from2"), drs.get("training").toString());
        assertTrue(drs.at("/training/recipe").asText().contains("augmentation [ZeroPadding2D, RandomCrop, RandomFlip]"));
        // warm-up: the rate at the end of epoch 1 is below 0.1, before the first boundary it reaches 0.1 * 3/5 at most
        assertTrue(drs.at("/history/0/learningRate").asDouble() < 0.1);
        JsonNode ldam = JSON.readTree(out.resolve("runs/exp10-ldam-seed1/run.json").toFile());
        assertEquals("ok", ldam.get("status").asText());
        assertTrue(Files.readString(out.resolve("summary.md")).contains("crossentropy+class_balanced-from2"));
    }

    @Test
    void theKerasFineTuningRecipeRunsOnSmallData() throws IOException {
        ObjectNode c = small("keras-fine-tuning-recipe.json");
        assertEquals("val_balanced_accuracy", c.at("/callbacks/0/EarlyStopping/monitor").asText());
        ((ArrayNode) c.get("losses")).removeAll().add("crossentropy");
        Path f = dir.resolve("ft.json");
        Files.writeString(f, c.toString());
        Path out = dir.resolve("ft");
        var o = CliTest.cli("experiment", "--config", f.toString(), "--out", out.toString(), "--data-dir", data.toString(),
                "--jobs", "1", "--no-tensorboard");
        assertEquals(0, o.status(), o.err());
        JsonNode r = JSON.readTree(out.resolve("runs/exp10-crossentropy-seed1/run.json").toFile());
        assertTrue(r.at("/training/recipe").asText().startsWith("AdamW(lr CosineDecay in epochs, weight decay 0.004, "
                + "global_clipnorm 1.0), EarlyStopping"), r.get("training").toString());
        assertTrue(r.at("/training/restoredEpoch").asInt() >= 1);
    }
}
