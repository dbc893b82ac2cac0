package dev.losslab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.testing.CliRun.Outcome;
import dev.losslab.testing.TestData;
import static dev.losslab.testing.CliRun.cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that fails while writing leaves the complete run or nothing: an IOException injected before each of its
 * writes, and a real full disk (a tmpfs of several sizes; CI runs as root, elsewhere the test is skipped with a note),
 * end in one line, exit 2, and no folder (not even a hidden partial one) where the run was to go.
 */
class RunFailureTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path config;
    static final List<Path> MOUNTS = new ArrayList<>();


    @BeforeAll
    static void setUp() throws IOException {
        data = dir.resolve("data");
        TestData.writeSynthetic(data, 40, 20, 5);
        config = dir.resolve("tiny.json");
        Files.writeString(config, """
                {"name": "tiny", "classes": [3, 7], "distribution": [0.8, 0.2], "loss": "crossentropy",
                 "epochs": 1, "batchSize": 16, "seed": 4}
                """);
    }

    @AfterAll
    static void unmount() throws Exception {
        for (Path m : MOUNTS) {
            new ProcessBuilder("umount", m.toString()).inheritIO().start().waitFor();
        }
        TrainingRun.writeHook = w -> { };
    }

    static void assertNothingLeft(Path parent, String name) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> n.contains(name)).toList();
            assertEquals(List.of(), left, "nothing of the run is left in " + parent);
        }
    }

    static void assertOneLine(Outcome o, String fragment) {
        assertEquals(2, o.status(), o.err());
        List<String> lines = o.err().lines().filter(l -> l.startsWith("losslab:")).toList();
        assertEquals(1, lines.size(), o.err());
        assertTrue(lines.get(0).contains(fragment), o.err());
        assertFalse(o.err().contains("Hint:") || o.err().contains("internal error") || o.err().contains("Exception"), o.err());
        assertFalse(o.err().contains(".partial-"), "the error names the user's folder, not the hidden one: " + o.err());
    }

    @Test
    void anIoErrorBeforeAnyWriteLeavesNothing() throws IOException {
        for (String at : List.of("model", "val-probabilities.csv", "test-probabilities.csv", "decision-rule.json", "run.json",
                "publish")) {
            TrainingRun.writeHook = w -> {
                if (w.equals(at)) {
                    throw new IOException("No space left on device");
                }
            };
            try {
                Path out = dir.resolve("inject-" + at);
                Outcome o = cli("train", "--config", config.toString(), "--out", out.toString(), "--data-dir", data.toString());
                assertOneLine(o, "no space left on the disk");
                assertFalse(Files.exists(out), at + ": " + out + " exists");
                assertNothingLeft(dir, "inject-" + at);
            } finally {
                TrainingRun.writeHook = w -> { };
            }
        }
        // any other write error: one line naming it, nothing left
        TrainingRun.writeHook = w -> {
            if (w.equals("run.json")) {
                throw new IOException("Input/output error");
            }
        };
        try {
            Path out = dir.resolve("inject-eio");
            assertOneLine(cli("train", "--config", config.toString(), "--out", out.toString(), "--data-dir", data.toString()),
                    "Input/output error");
            assertNothingLeft(dir, "inject-eio");
        } finally {
            TrainingRun.writeHook = w -> { };
        }
    }

    @Test
    void twoPhaseRunRecordsBothPhasesAsTheLogNumbersThem() throws IOException {
        // a base as Keras JSON (no top), a head on it, the base frozen, then unfrozen for fine-tuning
        Path base = dir.resolve("base.json");
        Files.writeString(base, "{\"class_name\": \"Sequential\", \"config\": {\"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 28, 28, 1], \"name\": \"in\"}}, "
                + "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c1\", \"filters\": 4, \"kernel_size\": 3, "
                + "\"activation\": \"relu\"}}, "
                + "{\"class_name\": \"GlobalAveragePooling2D\", \"config\": {\"name\": \"pool\"}}]}}");
        Path cfg = dir.resolve("two-phase.json");
        Files.writeString(cfg, """
                {"name": "two-phase", "classes": [0, 3, 7], "distribution": [0.5, 0.3, 0.2], "loss": "crossentropy",
                 "epochs": 3, "batchSize": 16, "seed": 4, "objective": "balanced_accuracy",
                 "tuning": ["tree", "absolute", "relative"],
                 "model": {"keras": "%s", "trainable": false,
                   "head": [{"Dense": {"name": "classes", "units": 3, "activation": "softmax"}}],
                   "fineTune": {"epochs": 4, "trainable": true, "learningRate": 0.0001}},
                 "callbacks": [{"EarlyStopping": {"monitor": "val_accuracy", "patience": 1, "baseline": 2.0,
                                                  "restore_best_weights": true}}]}
                """.formatted(base.toString().replace("\\", "/")));
        Path out = dir.resolve("two-phase-run");
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        Outcome o;
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            o = cli("train", "--config", cfg.toString(), "--out", out.toString(), "--data-dir", data.toString());
        } finally {
            System.setErr(saved);
        }
        assertEquals(0, o.status(), o.err() + captured);
        JsonNode t = new ObjectMapper().readTree(out.resolve("run.json").toFile()).get("training");
        JsonNode phases = t.get("phases");
        assertEquals(2, phases.size(), t.toString());
        assertEquals("train", phases.get(0).get("name").asText());
        assertEquals("fine_tune", phases.get(1).get("name").asText());
        int fineFirst = phases.get(1).get("firstEpoch").asInt();
        assertEquals(phases.get(0).get("lastEpoch").asInt() + 1, fineFirst, t.toString());
        // a baseline of 2.0 accuracy is never beaten: each phase stops after its patience
        assertFalse(phases.get(1).get("stoppedEpoch").isNull(), t.toString());
        assertEquals(phases.get(1).get("stoppedEpoch").asInt(), t.get("stoppedEpoch").asInt(), "the last phase's stop");
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("early stopping after epoch " + t.get("stoppedEpoch").asInt()), log);
        // the tuning printout's columns are the objective that chooses, and rules print as text, never as JSON
        assertTrue(log.contains("validation balanced_accuracy"), log);
        assertTrue(log.contains("<- chosen on validation balanced_accuracy"), log);
        assertFalse(log.contains("{\"method\""), log);
        if (!t.get("restoredEpoch").isNull()) {
            assertTrue(log.contains("restored the weights of epoch " + t.get("restoredEpoch").asInt()), log);
        }
    }

    /** Mounts a tmpfs of {@code kib} KiB, or skips the test where this process may not (not root, no mount). */
    static Path tmpfs(String name, long kib) throws Exception {
        Path m = Files.createDirectories(dir.resolve(name));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "tmpfs", m.toString())
                .redirectErrorStream(true).start();
        String msg = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor() == 0, "cannot mount a tmpfs here (needs root; CI runs as root): " + msg.trim());
        MOUNTS.add(m);
        return m;
    }

    static long size(Path d) throws IOException {
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void aFullDiskAtThreeSizesLeavesACompleteRunOrNothing() throws Exception {
        Path reference = dir.resolve("reference-run");
        Outcome ok = cli("train", "--config", config.toString(), "--out", reference.toString(), "--data-dir", data.toString());
        assertEquals(0, ok.status(), ok.err());
        long bytes = size(reference);
        int failed = 0;
        for (double fraction : new double[] {0.1, 0.5, 0.9, 3.0}) {
            long kib = Math.max(64, (long) (bytes * fraction / 1024));
            Path disk = tmpfs("disk-" + kib, kib);
            Path out = disk.resolve("run");
            Outcome o = cli("train", "--config", config.toString(), "--out", out.toString(), "--data-dir", data.toString());
            if (o.status() == 0) {
                assertTrue(Files.isRegularFile(out.resolve("run.json")), "a run that succeeded is complete");
                assertTrue(Files.isRegularFile(out.resolve("model").resolve("saved_model.pb")));
            } else {
                failed++;
                assertOneLine(o, "no space left on the disk");
                try (Stream<Path> s = Files.list(disk)) {
                    assertEquals(List.of(), s.toList(), "a full disk at " + kib + " KiB (run " + bytes / 1024 + " KiB) leaves nothing");
                }
            }
        }
        assertTrue(failed >= 3, "the three small disks are too small for a " + bytes + "-byte run");
    }

    @Test
    void aSweepOnAFullDiskStopsInOneLineAndResumesLater() throws Exception {
        Path sweep = dir.resolve("sweep.json");
        Files.writeString(sweep, """
                {"name": "full", "classes": [3, 7], "distributions": [[0.8, 0.2]], "losses": ["crossentropy"],
                 "epochs": 1, "batchSize": 16, "seeds": [1, 2]}
                """);
        Path disk = tmpfs("sweep-disk", 200);
        Path out = disk.resolve("sweep");
        Outcome o = cli("experiment", "--config", sweep.toString(), "--out", out.toString(), "--data-dir", data.toString(),
                "--jobs", "1", "--no-tensorboard");
        assertOneLine(o, "no space left on the disk");
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            assertEquals(List.of(), s.toList(), "no run, finished or half, no failure record");
        }
    }
}
