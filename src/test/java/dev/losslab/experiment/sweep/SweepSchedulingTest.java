package dev.losslab.experiment.sweep;

import dev.losslab.util.JavaLauncher;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import dev.losslab.cli.Main;
import dev.losslab.experiment.ExperimentConfig;
import dev.losslab.testing.RunMetrics;
import dev.losslab.testing.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shards, run locks, --status, hostile names, and --jobs 2 against --jobs 1 (same numbers per run). */
class SweepSchedulingTest {
    @TempDir
    Path dir;

    static final String SWEEP = """
            {"name": "sched", "classes": [3, 7], "distributions": [[0.8, 0.2], [0.6, 0.4]],
             "losses": ["crossentropy", "soft_f1"], "epochs": 1, "batchSize": 16, "seeds": [1, 2],
             "model": {"padding": "valid"}}
            """;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    /** Runs the CLI in this JVM; [status, stdout, stderr], stderr including the commands' progress log (System.err). */
    static synchronized String[] cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            System.setErr(saved);
        }
        return new String[] {String.valueOf(status), out.toString(), err + log.toString(java.nio.charset.StandardCharsets.UTF_8)};
    }

    @Test
    void shardsPartitionTheSweepInAnyCount() throws IOException {
        List<ExperimentConfig.Run> runs = ExperimentConfig.load(write("s.json", SWEEP)).runs();
        assertEquals(8, runs.size());
        for (int n = 1; n <= 9; n++) {
            Set<String> seen = new HashSet<>();
            int total = 0;
            for (int i = n - 1; i >= 0; i--) { // any order
                for (var r : new Shard(i, n).select(runs)) {
                    assertTrue(seen.add(r.id()), "run " + r.id() + " in two shards of " + n);
                    total++;
                }
            }
            assertEquals(runs.size(), total);
        }
        assertEquals(new Shard(1, 4), Shard.parse(" 1/4 "));
        for (String bad : new String[] {"4/4", "-1/2", "1", "a/b", "1/0", "1/2/3"}) {
            var e = assertThrows(LosslabException.class, () -> Shard.parse(bad), bad);
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void aRunLockIsExclusiveAndAStaleOneIsTakenOver() throws IOException {
        Path out = dir.resolve("out");
        Duration timeout = Duration.ofMinutes(10);
        try (RunLock first = RunLock.tryAcquire(out, "a", timeout).orElseThrow()) {
            assertTrue(RunLock.tryAcquire(out, "a", timeout).isEmpty(), "a live lock must not be taken twice");
            var state = RunLock.read(RunLock.file(out, "a"), timeout).orElseThrow();
            assertFalse(state.stale());
            assertEquals(ProcessHandle.current().pid(), state.holder().pid());
        }
        assertTrue(RunLock.read(RunLock.file(out, "a"), timeout).isEmpty(), "closing releases the lock");

        ObjectMapper json = new ObjectMapper();
        // a dead process on this host: stale at once
        long dead = deadPid();
        Files.writeString(RunLock.file(out, "b"), json.writeValueAsString(
                new RunLock.Holder(RunLock.hostName(), dead, System.currentTimeMillis())));
        assertTrue(RunLock.read(RunLock.file(out, "b"), timeout).orElseThrow().stale());
        try (RunLock taken = RunLock.tryAcquire(out, "b", timeout).orElseThrow()) {
            assertEquals(ProcessHandle.current().pid(), RunLock.read(RunLock.file(out, "b"), timeout).orElseThrow().holder().pid());
        }
        // another host, refreshed recently: respected; not refreshed for longer than the timeout: taken over
        Path other = RunLock.file(out, "c");
        Files.writeString(other, json.writeValueAsString(new RunLock.Holder("elsewhere", 1, System.currentTimeMillis())));
        assertTrue(RunLock.tryAcquire(out, "c", timeout).isEmpty());
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofMinutes(11))));
        try (RunLock taken = RunLock.tryAcquire(out, "c", timeout).orElseThrow()) {
            assertEquals(RunLock.hostName(), RunLock.read(other, timeout).orElseThrow().holder().host());
        }
        try (Stream<Path> left = Files.list(out.resolve("locks"))) {
            assertEquals(List.of(), left.toList(), "no lock or set-aside file is left behind");
        }
    }

    private static long deadPid() throws IOException {
        try {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            return p.pid();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    /** A killed --jobs 2 sweep keeps every finished run untouched, and --resume redoes only the others. */
    @Test
    void aKilledParallelSweepResumesOnlyItsUnfinishedRuns() throws Exception {
        Path data = dir.resolve("data-kill");
        TestData.writeSynthetic(data, 60, 20, 5);
        Path cfg = write("kill.json", SWEEP.replace("\"epochs\": 1", "\"epochs\": 3"));
        Path out = dir.resolve("killed");
        JavaLauncher.register(dev.losslab.cli.Main.class);
        List<String> cmd = new ArrayList<>(JavaLauncher.command());
        cmd.addAll(List.of("experiment", "--config", cfg.toString(), "--out", out.toString(), "--data-dir", data.toString(),
                "--jobs", "2"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("kill.log").toFile()).start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (countRunJsons(out) < 2 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        p.destroy(); // SIGTERM: the parent stops its workers
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        Thread.sleep(500);
        Map<String, FileTime> finished = new TreeMap<>();
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            for (Path r : runs.toList()) {
                if (Files.exists(r.resolve("run.json"))) {
                    finished.put(r.getFileName().toString(), Files.getLastModifiedTime(r.resolve("run.json")));
                }
            }
        }
        assertTrue(finished.size() >= 2 && finished.size() < 8, "killed mid-sweep: " + finished.keySet());
        String[] resumed = cli("experiment", "--config", cfg.toString(), "--out", out.toString(), "--data-dir",
                data.toString(), "--resume", "--jobs", "2");
        assertEquals("0", resumed[0], resumed[2]);
        assertTrue(resumed[1].contains((8 - finished.size()) + " ran (0 failed), " + finished.size() + " skipped"), resumed[1]);
        for (var e : finished.entrySet()) {
            assertEquals(e.getValue(), Files.getLastModifiedTime(out.resolve("runs").resolve(e.getKey()).resolve("run.json")),
                    e.getKey() + " was redone");
        }
        String[] serial = cli("experiment", "--config", cfg.toString(), "--out", dir.resolve("kill-serial").toString(),
                "--data-dir", data.toString(), "--jobs", "1");
        assertEquals("0", serial[0], serial[2]);
        assertEquals(RunMetrics.of(dir.resolve("kill-serial")), RunMetrics.of(out));
    }

    /**
     * kill -9 of a --jobs 2 sweep's main process ends its workers too (they watch their parent), so nothing trains on
     * unseen; their locks are stale at once (dead pids), and --resume finishes the sweep, counting every run.
     */
    @Test
    void workersEndWhenTheMainProcessIsKilledWithSigkill() throws Exception {
        Path data = dir.resolve("data-kill9");
        TestData.writeSynthetic(data, 60, 20, 5);
        // two runs long enough (150 epochs, tens of seconds) that a worker left alone would still be training
        Path cfg = write("kill9.json", SWEEP.replace("\"epochs\": 1", "\"epochs\": 150"));
        Path out = dir.resolve("killed9");
        String only = "80-20-crossentropy-seed*";
        JavaLauncher.register(dev.losslab.cli.Main.class);
        List<String> cmd = new ArrayList<>(JavaLauncher.command());
        cmd.addAll(List.of("experiment", "--config", cfg.toString(), "--out", out.toString(), "--data-dir", data.toString(),
                "--jobs", "2", "--only", only));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("kill9.log").toFile()).start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        java.util.Set<Long> workers = new java.util.HashSet<>();
        while (workers.size() < 2 && p.isAlive() && System.nanoTime() < deadline) {
            p.toHandle().children().forEach(c -> workers.add(c.pid()));
            Thread.sleep(50);
        }
        assertEquals(2, workers.size(), Files.readString(dir.resolve("kill9.log")));
        // both workers are training (each holds a lock) before the parent is killed
        while (locks(out) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        long until = System.nanoTime() + 5_000_000_000L; // a worker left alone would train on for tens of seconds
        while (workers.stream().anyMatch(w -> ProcessHandle.of(w).map(ProcessHandle::isAlive).orElse(false))
                && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        for (long w : workers) {
            assertFalse(ProcessHandle.of(w).map(ProcessHandle::isAlive).orElse(false), "worker " + w + " outlived its parent");
        }
        assertEquals(0, countRunJsons(out), "the workers stopped mid-run instead of finishing");
        String[] resumed = cli("experiment", "--config", cfg.toString(), "--out", out.toString(), "--data-dir",
                data.toString(), "--resume", "--jobs", "1", "--only", only);
        assertEquals("0", resumed[0], resumed[2]);
        assertTrue(resumed[1].contains("2 ran (0 failed), 0 skipped"), resumed[1]);
        assertEquals(2, countRunJsons(out));
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            assertEquals(List.of(), runs.filter(r -> r.getFileName().toString().startsWith(".")).toList(),
                    "the killed workers' partial runs are cleared");
        }
    }

    private static long locks(Path out) throws IOException {
        if (!Files.isDirectory(out.resolve("locks"))) {
            return 0;
        }
        try (Stream<Path> l = Files.list(out.resolve("locks"))) {
            return l.filter(f -> f.getFileName().toString().endsWith(".lock")).count();
        }
    }

    private static long countRunJsons(Path out) throws IOException {
        if (!Files.isDirectory(out.resolve("runs"))) {
            return 0;
        }
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            return runs.filter(r -> Files.exists(r.resolve("run.json"))).count();
        }
    }

    @Test
    void hostileNamesAreRefusedWithOneLineAndNothingWritten() throws IOException {
        Path cwd = Path.of("").toAbsolutePath();
        for (String name : new String[] {"../x", "a/b", "/tmp/abs", "..", ".hidden", "x\\u0001y", "a\\\\b", "-rf", ""}) {
            Path cfg = write("hostile.json", SWEEP.replace("\"sched\"", "\"" + name + "\""));
            String[] r = cli("experiment", "--config", cfg.toString());
            assertEquals("2", r[0], name + ": " + r[2]);
            assertEquals(1, r[2].strip().lines().count(), r[2]);
            assertTrue(r[2].startsWith("losslab: error: "), r[2]);
            assertTrue(r[2].contains("name"), r[2]);
            assertFalse(Files.exists(cwd.resolve("x")), "wrote outside results/");
            assertFalse(Files.exists(cwd.resolve("results").resolve("a")));
        }
        // a run config's name for train is only a label, but a sweep's run ids must be plain too
        var e = assertThrows(LosslabException.class, () -> dev.losslab.experiment.SafeName.inside(dir, "../escape"));
        assertTrue(e.getMessage().contains("not a safe folder name"));
    }

    @Test
    void jobsTwoWritesTheSameNumbersAsJobsOneAndStatusSeesThem() throws IOException {
        Path data = dir.resolve("data");
        TestData.writeSynthetic(data, 60, 20, 5);
        Path cfg = write("s.json", SWEEP);
        Path serial = dir.resolve("serial");
        Path parallel = dir.resolve("parallel");

        String[] st = cli("experiment", "--config", cfg.toString(), "--out", parallel.toString(), "--status");
        assertEquals("0", st[0], st[2]);
        assertTrue(st[1].contains("8 runs: 0 done, 0 running, 0 stale, 0 failed, 8 missing"), st[1]);

        String[] one = cli("experiment", "--config", cfg.toString(), "--out", serial.toString(), "--data-dir", data.toString(),
                "--jobs", "1");
        assertEquals("0", one[0], one[2]);
        String[] two = cli("experiment", "--config", cfg.toString(), "--out", parallel.toString(), "--data-dir", data.toString(),
                "--jobs", "2");
        assertEquals("0", two[0], two[2]);
        assertTrue(two[2].contains("[job 1]") && two[2].contains("[job 2]"), "both workers ran: " + two[2]);

        Map<String, String> a = RunMetrics.of(serial);
        Map<String, String> b = RunMetrics.of(parallel);
        assertEquals(8, a.size());
        assertEquals(a, b, "--jobs 2 must write the numbers --jobs 1 writes");
        // where the time went: each worker's first run reports its start-up and the data load its runs share
        int firstRuns = 0;
        try (var runs = Files.list(parallel.resolve("runs"))) {
            for (Path r : runs.toList()) {
                var phases = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.resolve("run.json").toFile())
                        .get("phaseSeconds");
                assertTrue(phases.has("tensorflow_start") && phases.has("graph_build"), phases.toString());
                if (phases.has("process_start")) {
                    firstRuns++;
                    assertTrue(phases.get("process_start").asDouble() > 0 && phases.has("data_load"), phases.toString());
                } else {
                    assertTrue(!phases.has("data_load"), "a later run of a worker loaded nothing: " + phases);
                }
            }
        }
        assertEquals(2, firstRuns, "one first run per worker");
        assertEquals(Files.readString(serial.resolve("summary.csv")), Files.readString(parallel.resolve("summary.csv")));
        // --summary regenerates it from disk, idempotently
        String md = Files.readString(parallel.resolve("summary.md"));
        Files.delete(parallel.resolve("summary.md"));
        for (int i = 0; i < 2; i++) {
            String[] sum = cli("experiment", "--config", cfg.toString(), "--out", parallel.toString(), "--summary");
            assertEquals("0", sum[0], sum[2]);
            assertEquals(md, Files.readString(parallel.resolve("summary.md")));
        }

        st = cli("experiment", "--config", cfg.toString(), "--out", parallel.toString(), "--status");
        assertTrue(st[1].contains("8 runs: 8 done"), st[1]);
        // a live lock shows as running; a dead holder's as stale
        Files.delete(parallel.resolve("runs/60-40-soft_f1-seed2/run.json"));
        try (RunLock held = RunLock.tryAcquire(parallel, "60-40-soft_f1-seed2", Duration.ofMinutes(10)).orElseThrow()) {
            st = cli("experiment", "--config", cfg.toString(), "--out", parallel.toString(), "--status");
            assertTrue(st[1].contains("7 done, 1 running") && st[1].contains("running  60-40-soft_f1-seed2"), st[1]);
            // a worker leaves a run another live worker holds
            String[] busy = cli("experiment", "--config", cfg.toString(), "--out", parallel.toString(), "--data-dir",
                    data.toString(), "--resume", "--jobs", "1");
            assertEquals("0", busy[0], busy[2]);
            assertTrue(busy[2].contains("being trained by another worker"), busy[2]);
        }
        // resume after the holder is gone redoes only that run, with the same numbers
        String[] resumed = cli("experiment", "--config", cfg.toString(), "--out", parallel.toString(), "--data-dir",
                data.toString(), "--resume", "--jobs", "2");
        assertEquals("0", resumed[0], resumed[2]);
        assertTrue(resumed[1].contains("1 ran (0 failed), 7 skipped"), resumed[1]);
        assertEquals(a, RunMetrics.of(parallel));
    }
}
