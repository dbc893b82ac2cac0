package dev.losslab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.losslab.data.FashionMnistFile;
import dev.losslab.data.FashionMnistSource;
import dev.losslab.data.IdxFile;
import dev.losslab.data.IdxImages;
import dev.losslab.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1-epoch, 2-seed smoke of the long-tailed study, every method on both ratios, on a 1/20 subset of the real
 * Fashion-MNIST files (the first 3,000 training and 500 test images): the config's network, recipe and tuning as
 * they are, the deferrals moved to epoch 1 so they run. Every run finishes and the summary names every method.
 */
class FashionMnistLtSmokeTest {
    @TempDir
    Path dir;

    @Test
    void everyMethodRunsOnBothRatios() throws IOException {
        Path real = TestData.realDirectory();
        assumeTrue(FashionMnistSource.hasAllFiles(real), "Fashion-MNIST not found in " + real.toAbsolutePath());
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        subset(real, data, FashionMnistFile.TRAIN_IMAGES, FashionMnistFile.TRAIN_LABELS, 3000);
        subset(real, data, FashionMnistFile.TEST_IMAGES, FashionMnistFile.TEST_LABELS, 500);

        ObjectMapper json = new ObjectMapper();
        ObjectNode c = (ObjectNode) json.readTree(Path.of("configs", "fashion-mnist-lt.json").toFile());
        c.put("epochs", 1);
        c.set("seeds", json.readTree("[1, 2]"));
        ArrayNode losses = (ArrayNode) c.get("losses");
        for (int i = 0; i < losses.size(); i++) {
            losses.set(i, losses.get(i).asText().replace("-from20", "-from1"));
        }
        ((ObjectNode) c.get("lossParams").get("ldam")).put("drwEpoch", 1);
        ((ObjectNode) c.at("/optimizer/SGD/learning_rate/CosineDecay")).put("decay_steps", 1);
        Path config = dir.resolve("lt-smoke.json");
        Files.writeString(config, c.toString());
        Path out = dir.resolve("out");
        var err = new java.io.StringWriter();
        int status = dev.losslab.cli.Main.execute(new String[] {"experiment", "--config", config.toString(), "--out",
                out.toString(), "--data-dir", data.toString(), "--jobs", "2", "--no-tensorboard"},
                new java.io.PrintWriter(new java.io.StringWriter(), true), new java.io.PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        String[] runs = out.resolve("runs").toFile().list();
        assertEquals(11 * 2 * 2, runs.length, Arrays.toString(runs));
        for (String r : runs) {
            JsonNode rec = json.readTree(out.resolve("runs").resolve(r).resolve("run.json").toFile());
            assertEquals("ok", rec.get("status").asText(), r);
        }
        String summary = Files.readString(out.resolve("summary.md"));
        for (JsonNode l : losses) {
            assertTrue(summary.contains(l.asText()), l.asText());
        }
    }

    private static void subset(Path from, Path to, FashionMnistFile images, FashionMnistFile labels, int n) throws IOException {
        IdxImages all = IdxFile.readImages(from.resolve(images.fileName()));
        IdxFile.writeImages(to.resolve(images.fileName()), new IdxImages(n, all.rows(), all.cols(),
                Arrays.copyOf(all.pixels(), n * all.rows() * all.cols())));
        IdxFile.writeLabels(to.resolve(labels.fileName()), Arrays.copyOf(IdxFile.readLabels(from.resolve(labels.fileName())), n));
    }
}
