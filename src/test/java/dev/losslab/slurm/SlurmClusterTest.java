package dev.losslab.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.losslab.util.JavaLauncher;
import dev.losslab.testing.LocalSlurm;
import dev.losslab.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code losslab slurm --submit --wait} against a real single-node Slurm (slurm-wlm 22.05 + munge,
 * started by {@link LocalSlurm}): a 2-task array of a 4-run sweep must leave every run.json, with
 * the numbers a serial {@code experiment --jobs 1} of the same sweep writes. {@code .ci/run}
 * installs Slurm and sets LOSSLAB_REQUIRE_SLURM=1, so in CI this test cannot be skipped.
 */
class SlurmClusterTest {
    @TempDir
    Path dir;

    private static final String SWEEP = """
            {"name": "slurm-tiny", "classes": [3, 7], "distributions": [[0.7, 0.3]],
             "losses": ["crossentropy", "pairwise_hinge"], "epochs": 1, "batchSize": 16, "seeds": [1, 2],
             "model": {"padding": "valid"}}
            """;

    /** The CLI in a new JVM, with extra environment; [status, stdout + stderr]. */
    private static String[] losslab(Map<String, String> env, String... args) throws IOException, InterruptedException {
        JavaLauncher.register(dev.losslab.cli.Main.class);
        List<String> cmd = new ArrayList<>(JavaLauncher.command());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "losslab " + String.join(" ", args) + " timed out");
        return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
    }

    @Test
    void aTwoTaskArrayMakesTheSerialSweep() throws Exception {
        boolean required = "1".equals(System.getenv("LOSSLAB_REQUIRE_SLURM"));
        assumeTrue(required || LocalSlurm.installed(), "Slurm is not installed (.ci/run installs slurm-wlm and munge)");
        Path data = dir.resolve("data");
        TestData.writeSynthetic(data, 60, 20, 9);
        Path cfg = dir.resolve("sweep.json");
        Files.writeString(cfg, SWEEP);
        Path viaSlurm = dir.resolve("slurm-out");
        Path serial = dir.resolve("serial-out");

        try (LocalSlurm cluster = LocalSlurm.start()) {
            Map<String, String> env = new HashMap<>(cluster.environment());
            String[] r = losslab(env, "slurm", "--config", cfg.toString(), "--out", viaSlurm.toString(), "--tasks", "2",
                    "--cpus-per-task", "1", "--data-dir", data.toString(), "--submit", "--wait", "--poll", "1");
            assertEquals("0", r[0], r[1] + "\nslurmctld log: " + tail(cluster.logDirectory().resolve("slurmctld.log")));
            assertTrue(r[1].lines().anyMatch(l -> l.trim().matches("\\d+")), "prints the job id: " + r[1]);
            assertTrue(r[1].contains("all 2 tasks and 4 runs finished"), r[1]);
            String script = Files.readString(viaSlurm.resolve("slurm/sweep.sbatch"));
            assertTrue(script.contains("#SBATCH --array=0-1") && script.contains("--shard \"${SLURM_ARRAY_TASK_ID}/2\""), script);
            for (int t = 0; t < 2; t++) {
                assertEquals("0", Files.readString(viaSlurm.resolve("slurm/task-" + t + ".exit")).trim());
            }
        }
        String[] s = losslab(Map.of(), "experiment", "--config", cfg.toString(), "--out", serial.toString(), "--data-dir",
                data.toString(), "--jobs", "1");
        assertEquals("0", s[0], s[1]);
        var viaSlurmMetrics = dev.losslab.testing.RunMetrics.of(viaSlurm);
        assertEquals(4, viaSlurmMetrics.size());
        assertEquals(dev.losslab.testing.RunMetrics.of(serial), viaSlurmMetrics);
        assertEquals(Files.readString(serial.resolve("summary.csv")), Files.readString(viaSlurm.resolve("summary.csv")));
    }

    @Test
    void submitWithoutSlurmOnPathIsOneLineExitTwo() throws Exception {
        Path cfg = dir.resolve("sweep.json");
        Files.writeString(cfg, SWEEP);
        Path empty = Files.createDirectories(dir.resolve("empty-path"));
        String[] r = losslab(Map.of("PATH", empty.toString()), "slurm", "--config", cfg.toString(), "--out",
                dir.resolve("o").toString(), "--tasks", "3", "--submit");
        assertEquals("2", r[0], r[1]);
        List<String> errors = r[1].lines().filter(l -> l.startsWith("losslab:")).toList();
        assertEquals(1, errors.size(), r[1]);
        assertTrue(errors.get(0).contains("sbatch is not on PATH"), r[1]);
        assertTrue(Files.isRegularFile(dir.resolve("o/slurm/sweep.sbatch")), "the script is still written");

        String[] bad = losslab(Map.of(), "slurm", "--config", cfg.toString(), "--out", dir.resolve("o").toString(),
                "--tasks", "0");
        assertEquals("2", bad[0], bad[1]);
        String[] wait = losslab(Map.of(), "slurm", "--config", cfg.toString(), "--out", dir.resolve("o").toString(),
                "--tasks", "2", "--wait");
        assertEquals("2", wait[0], wait[1]);
        assertFalse(wait[1].contains("Exception"), wait[1]);
    }

    private static String tail(Path f) {
        try {
            List<String> lines = Files.readAllLines(f);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
