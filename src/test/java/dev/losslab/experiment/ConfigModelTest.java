package dev.losslab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.testing.CliRun.Outcome;
import dev.losslab.testing.TestData;
import static dev.losslab.testing.CliRun.cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One config model: a sweep config is a run config whose fields may be lists, so every field {@code train} accepts,
 * {@code experiment} accepts too (under its name, or its plural for the fields a sweep varies), and a run's own
 * record re-runs it: {@code train --config run.json} gives identical test probabilities.
 */
class ConfigModelTest {
    @TempDir
    static Path dir;
    static Path data;

    /** The run fields a sweep takes as a list under a plural name (the sweep's axes). */
    static final Map<String, String> PLURAL = Map.of("distribution", "distributions", "loss", "losses", "seed", "seeds",
            "imbalance", "imbalances");
    /** Run fields a sweep sets itself: the recipe name comes from its optimizers / recipes lists. */
    static final Set<String> SET_BY_THE_SWEEP = Set.of("recipeName");

    @BeforeAll
    static void setUp() throws IOException {
        data = dir.resolve("data");
        TestData.writeSynthetic(data, 40, 20, 6);
    }


    @Test
    void everyRunFieldIsASweepField() {
        Set<String> sweep = Arrays.stream(ExperimentConfig.class.getRecordComponents()).map(c -> c.getName())
                .collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        for (var c : RunConfig.class.getRecordComponents()) {
            String name = c.getName();
            if (SET_BY_THE_SWEEP.contains(name)) {
                continue;
            }
            if (!sweep.contains(name) && !sweep.contains(PLURAL.getOrDefault(name, "-"))) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "run fields a sweep config does not accept");
    }

    @Test
    void aSweepTakesValidationFractionZeroAsARunDoes() throws IOException {
        Path cfg = dir.resolve("keras-protocol.json");
        Files.writeString(cfg, """
                {"name": "keras-protocol", "classes": [3, 7], "distributions": [[0.8, 0.2]], "losses": ["crossentropy"],
                 "epochs": 1, "batchSize": 16, "seeds": [1], "validationFraction": 0}
                """);
        Path out = dir.resolve("protocol");
        Outcome o = cli("experiment", "--config", cfg.toString(), "--out", out.toString(), "--data-dir", data.toString(),
                "--jobs", "1", "--no-tensorboard");
        assertEquals(0, o.status(), o.err());
        var run = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                out.resolve("runs/80-20-crossentropy-seed1/run.json").toFile());
        assertEquals(0.0, run.at("/config/validationFraction").asDouble(), 0);
        assertEquals(0, run.at("/classCounts/validation/0").asInt() + run.at("/classCounts/validation/1").asInt(),
                "every training image trains");
    }

    @Test
    void aRunsOwnRecordReRunsItWithIdenticalTestProbabilities() throws IOException {
        Path cfg = dir.resolve("tiny.json");
        Files.writeString(cfg, """
                {"name": "tiny", "classes": [0, 3, 7], "distribution": [0.6, 0.3, 0.1], "loss": "focal",
                 "lossParams": {"gamma": 1.5}, "epochs": 2, "batchSize": 16, "seed": 4,
                 "optimizer": {"SGD": {"learning_rate": 0.05, "momentum": 0.9}},
                 "augmentation": [{"RandomFlip": {"mode": "horizontal"}}], "tuning": ["tree", "relative"],
                 "objective": "balanced_accuracy"}
                """);
        Path first = dir.resolve("first");
        Outcome a = cli("train", "--config", cfg.toString(), "--out", first.toString(), "--data-dir", data.toString(),
                "--threads", "1", "--no-tensorboard");
        assertEquals(0, a.status(), a.err());
        var record = new com.fasterxml.jackson.databind.ObjectMapper().readTree(first.resolve("run.json").toFile());
        assertEquals("{\"learning_rate\":0.05,\"weight_decay\":null,\"clipnorm\":null,\"global_clipnorm\":null,"
                + "\"clipvalue\":null,\"momentum\":0.9,\"nesterov\":false}", record.at("/config/optimizer/SGD").toString(),
                "the optimizer as its class writes it back: every argument, Keras' defaults included");
        assertEquals("{\"seed\":null,\"mode\":\"horizontal\",\"data_format\":\"channels_last\"}",
                record.at("/config/augmentation/0/RandomFlip").toString());
        Path again = dir.resolve("again");
        Outcome b = cli("train", "--config", first.resolve("run.json").toString(), "--out", again.toString(), "--data-dir",
                data.toString(), "--threads", "1", "--no-tensorboard");
        assertEquals(0, b.status(), b.err());
        assertEquals(Files.readString(first.resolve("test-probabilities.csv")),
                Files.readString(again.resolve("test-probabilities.csv")), "the same run, from its own record");
        assertEquals(Files.readString(first.resolve("decision-rule.json")), Files.readString(again.resolve("decision-rule.json")));
        assertTrue(Files.readString(again.resolve("run.json")).contains("\"loss\" : \"focal\""));
    }
}
