package dev.losslab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tools/pack-runs}, which readies finished runs for committing: it gzips their probability files, and a
 * finished run without them (a run.json alone, which --resume would then skip forever) is named with exit status 1.
 */
class PackRunsTest {
    @TempDir
    Path dir;

    private record Result(int status, String stderr) {
    }

    private Result pack(Path results) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", Path.of("tools/pack-runs").toAbsolutePath().toString(), results.toString())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        String err = new String(p.getErrorStream().readAllBytes());
        return new Result(p.waitFor(), err);
    }

    @Test
    void gzipsFinishedRunsAndNamesOneWithoutItsProbabilities() throws Exception {
        Path whole = Files.createDirectories(dir.resolve("lt/runs/exp100-crossentropy-seed1"));
        Files.writeString(whole.resolve("run.json"), "{}");
        Files.writeString(whole.resolve("val-probabilities.csv"), "label,p0,p1\n0,0.9,0.1\n");
        Files.writeString(whole.resolve("test-probabilities.csv"), "label,p0,p1\n1,0.2,0.8\n");
        Path unfinished = Files.createDirectories(dir.resolve("lt/runs/exp100-focal-seed1")); // no run.json: still running
        Files.writeString(unfinished.resolve("val-probabilities.csv"), "label,p0,p1\n");

        Result ok = pack(dir.resolve("lt"));
        assertEquals(0, ok.status(), ok.stderr());
        for (String f : new String[] {"val-probabilities.csv", "test-probabilities.csv"}) {
            try (var in = new GZIPInputStream(Files.newInputStream(whole.resolve(f + ".gz")))) {
                assertArrayEquals(Files.readAllBytes(whole.resolve(f)), in.readAllBytes(), f);
            }
        }
        assertFalse(Files.exists(unfinished.resolve("val-probabilities.csv.gz")), "a run without run.json is left alone");

        Path bare = Files.createDirectories(dir.resolve("lt/runs/exp100-weighted_crossentropy-seed3"));
        Files.writeString(bare.resolve("run.json"), "{}");
        Result missing = pack(dir.resolve("lt"));
        assertEquals(1, missing.status());
        assertTrue(missing.stderr().contains("exp100-weighted_crossentropy-seed3") && missing.stderr().contains("no val-probabilities.csv"),
                missing.stderr());
        assertFalse(missing.stderr().contains("exp100-crossentropy-seed1"), missing.stderr());
    }
}
