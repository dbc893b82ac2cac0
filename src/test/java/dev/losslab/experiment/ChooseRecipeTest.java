package dev.losslab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tools/choose-recipe}, the fair-recipe step of the long-tailed study: each notebook loss gets the grid recipe
 * with the highest mean validation balanced accuracy over seeds 1-3 at ratio 100 (test numbers are never read), and
 * {@code --write-configs} writes the chosen recipe's sweep for that loss without ever overwriting another config.
 */
class ChooseRecipeTest {
    private static final List<String> RECIPES = List.of("fashion-mnist-lt", "fashion-mnist-lt-fair-sgd-lr0.01",
            "fashion-mnist-lt-fair-adam-lr0.001", "fashion-mnist-lt-fair-adam-lr0.0001");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Result(int status, String stdout, String stderr) {
    }

    private Result choose(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", Path.of("tools/choose-recipe").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        return new Result(p.waitFor(), out, err);
    }

    /** A finished run whose validation balanced accuracy under argmax is {@code validation}; its test score is the
     *  opposite ranking, so a tool that read it would choose otherwise. */
    private void run(String recipe, String loss, int seed, double validation) throws IOException {
        Path run = Files.createDirectories(dir.resolve("results/" + recipe + "/runs/exp100-" + loss + "-seed" + seed));
        Files.writeString(run.resolve("run.json"), """
                {"status": "ok", "validation": {"defaultRule": {"balancedAccuracy": %s}},
                 "test": {"defaultRule": {"balancedAccuracy": %s}}}""".formatted(validation, 1 - validation));
    }

    private void config(String recipe) throws IOException {
        Files.createDirectories(dir.resolve("configs"));
        Files.writeString(dir.resolve("configs/" + recipe + ".json"), """
                {"name": "%s", "losses": ["soft_f1", "soft_balanced_accuracy", "pairwise_hinge"], "seeds": [1, 2, 3],
                 "imbalances": [{"type": "exp", "ratio": 100}], "epochs": 24,
                 "optimizer": {"Adam": {"learning_rate": 0.001}}}""".formatted(recipe));
    }

    @Test
    void choosesOnValidationAndWritesTheChosenSweepOnce() throws Exception {
        // soft_f1: best under Adam 1e-3; soft_balanced_accuracy: best under the study's own recipe;
        // pairwise_hinge: Adam 1e-4 is missing a seed, so its choice is not complete.
        Map<String, double[]> means = Map.of("soft_f1", new double[] {0.70, 0.60, 0.80, 0.75},
                "soft_balanced_accuracy", new double[] {0.65, 0.50, 0.60, 0.55},
                "pairwise_hinge", new double[] {0.50, 0.55, 0.60, 0.90});
        for (var e : means.entrySet()) {
            for (int r = 0; r < RECIPES.size(); r++) {
                for (int seed = 1; seed <= 3; seed++) {
                    if (e.getKey().equals("pairwise_hinge") && r == 3 && seed == 3) continue;
                    run(RECIPES.get(r), e.getKey(), seed, e.getValue()[r] + 0.01 * (seed - 2));
                }
            }
        }
        for (String r : RECIPES) config(r);
        String results = dir.resolve("results").toString();
        String configs = dir.resolve("configs").toString();

        Result shown = choose(results);
        assertEquals(0, shown.status(), shown.stderr());
        assertTrue(shown.stdout().contains("chosen soft_f1 fashion-mnist-lt-fair-adam-lr0.001\n"), shown.stdout());
        assertTrue(shown.stdout().contains("chosen soft_balanced_accuracy fashion-mnist-lt\n"), shown.stdout());
        assertTrue(shown.stdout().contains("chosen pairwise_hinge incomplete\n"), shown.stdout());
        assertTrue(shown.stdout().contains("| soft_f1 | 0.7000 | 0.6000 | 0.8000 | 0.7500 |"), shown.stdout());
        assertTrue(shown.stdout().contains("2 of 3 runs"), shown.stdout());
        try (var listing = Files.list(dir.resolve("configs"))) {
            assertEquals(4, listing.count(), "without --write-configs nothing is written");
        }

        Result written = choose(results, "--write-configs", "--configs", configs);
        assertEquals(0, written.status(), written.stderr());
        Path chosen = dir.resolve("configs/fashion-mnist-lt-chosen-soft_f1.json");
        JsonNode c = JSON.readTree(chosen.toFile());
        assertEquals("fashion-mnist-lt-chosen-soft_f1", c.get("name").asText());
        assertEquals("[\"soft_f1\"]", c.get("losses").toString());
        assertEquals("[1,2,3,4,5]", c.get("seeds").toString());
        assertEquals("[{\"type\":\"exp\",\"ratio\":100},{\"type\":\"exp\",\"ratio\":10}]", c.get("imbalances").toString());
        assertEquals(24, c.get("epochs").asInt(), "the chosen recipe's config is kept");
        assertTrue(c.has("optimizer"));
        assertFalse(Files.exists(dir.resolve("configs/fashion-mnist-lt-chosen-soft_balanced_accuracy.json")),
                "the study's own recipe needs no new sweep");
        assertFalse(Files.exists(dir.resolve("configs/fashion-mnist-lt-chosen-pairwise_hinge.json")),
                "an incomplete choice writes nothing");
        assertTrue(written.stdout().contains("config soft_balanced_accuracy: none needed"), written.stdout());
        assertTrue(written.stderr().contains("config pairwise_hinge: not written"), written.stderr());

        Result again = choose(results, "--write-configs", "--configs", configs);
        assertEquals(0, again.status(), again.stderr());
        assertTrue(again.stdout().contains("(unchanged)"), again.stdout());

        String edited = Files.readString(chosen).replace("24", "30");
        Files.writeString(chosen, edited);
        Result refused = choose(results, "--write-configs", "--configs", configs);
        assertEquals(1, refused.status());
        assertTrue(refused.stderr().contains("exists with other content"), refused.stderr());
        assertEquals(edited, Files.readString(chosen), "a config with other content is never overwritten");
        try (var listing = Files.list(dir.resolve("configs"))) {
            assertEquals(5, listing.count(), "no temporary file is left behind");
        }

        Result noFolder = choose(results, "--write-configs", "--configs", dir.resolve("missing").toString());
        assertEquals(2, noFolder.status());
        assertTrue(noFolder.stderr().contains("is not a folder"), noFolder.stderr());
        assertFalse(Files.exists(dir.resolve("missing")));

        Result bad = choose(results, "--bogus");
        assertEquals(2, bad.status());
        assertEquals(1, bad.stderr().strip().lines().count(), bad.stderr());
    }
}
