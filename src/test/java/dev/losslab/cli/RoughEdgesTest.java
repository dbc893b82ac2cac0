package dev.losslab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.losslab.LosslabException;
import dev.losslab.data.FashionMnistFile;
import dev.losslab.data.FashionMnistSource;
import dev.losslab.testing.TestData;
import dev.losslab.train.Precision;
import dev.losslab.util.ProgressBar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rough edges a new user hit (issue 22), each with its fix. */
class RoughEdgesTest {
    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    @Test
    void trainTakesASweepConfigAndSaysWhichRun() throws IOException {
        Path data = dir.resolve("data");
        TestData.writeSynthetic(data, 40, 15, 2);
        Path sweep = write("ten.json", """
                {"name": "ten", "classes": [3, 7], "keepFractions": [[1.0, 0.3], [1.0, 0.1]],
                 "losses": ["crossentropy", "focal"], "seeds": [1, 2], "epochs": 1, "batchSize": 16}""");
        var o = OwnDataCliTest.withStderr("train", "--config", sweep.toString(), "--out", dir.resolve("run").toString(),
                "--data-dir", data.toString(), "--no-tensorboard");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.err().contains("is a sweep config; running its run keep100-30-crossentropy-seed1"), o.err());
        var chosen = OwnDataCliTest.withStderr("train", "--config", sweep.toString(), "--out", dir.resolve("run2").toString(),
                "--data-dir", data.toString(), "--split", "keep100-10", "--loss", "focal", "--seed", "2", "--no-tensorboard");
        assertEquals(0, chosen.status(), chosen.err());
        assertTrue(Files.readString(dir.resolve("run2/run.json")).contains("keep100-10-focal-seed2"));
        CliTest.assertOneLineError(CliTest.cli("train", "--config", sweep.toString(), "--out", dir.resolve("run3").toString(),
                "--split", "50-50"), "--split '50-50' is not in the sweep (valid: keep100-30, keep100-10)");
        // a run config's keepFractions is a list of numbers: still a run config
        Path run = write("run.json", """
                {"name": "r", "classes": [3, 7], "keepFractions": [1.0, 0.3], "epochs": 1}""");
        assertFalse(dev.losslab.experiment.AnyConfig.isSweep(run));
    }

    @Test
    void configErrorsNameFieldValueAndChoicesNeverJava() throws IOException {
        var padding = CliTest.cli("train", "--config", write("p.json", """
                {"name": "x", "classes": [0, 1], "distribution": [0.9, 0.1], "model": {"padding": "full"}}""").toString(),
                "--out", dir.resolve("o").toString());
        CliTest.assertOneLineError(padding, "model.padding: unknown padding 'full'; valid: same, valid");
        var epochs = CliTest.cli("train", "--config", write("e.json", """
                {"name": "x", "classes": [0, 1], "distribution": [0.9, 0.1], "epochs": "ten"}""").toString(),
                "--out", dir.resolve("o").toString());
        CliTest.assertOneLineError(epochs, "invalid value for 'epochs': expected a whole number, got 'ten'");
        var nested = CliTest.cli("train", "--config", write("n.json", """
                {"name": "x", "classes": [0, 1], "distribution": [[0.9, 0.1]]}""").toString(),
                "--out", dir.resolve("o").toString());
        CliTest.assertOneLineError(nested, "invalid value for 'distribution[0]': expected a number, got a list");
        var unknownNested = CliTest.cli("train", "--config", write("u.json", """
                {"name": "x", "data": {"dir": "photos"}}""").toString(), "--out", dir.resolve("o").toString());
        CliTest.assertOneLineError(unknownNested, "unknown field 'data.dir' (valid: allowEmpty, cache,");
        var wrongKind = CliTest.cli("train", "--config", write("w.json", """
                {"name": "x", "data": {"directory": "photos", "imageSize": "big"}}""").toString(),
                "--out", dir.resolve("o").toString());
        CliTest.assertOneLineError(wrongKind, "invalid value for 'data.imageSize': expected a list, got the string 'big'");
        for (var o : new dev.losslab.testing.CliRun.Outcome[] {padding, epochs, nested, unknownNested, wrongKind}) {
            assertFalse(o.err().contains("dev.losslab") || o.err().contains("Cannot deserialize")
                    || o.err().contains("START_ARRAY") || o.err().contains("int[]") || o.err().contains("Cannot construct"), o.err());
        }
    }

    @Test
    void progressOnAFileIsLinesWithoutCarriageReturns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream file = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressBar bar = new ProgressBar(file, "decode photos", 100, "images")) {
            for (int i = 0; i < 100; i++) {
                bar.step(1);
            }
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("decode photos: 100/100 images in "), text);
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar(new PrintStream(quiet), "epoch 1/2", 10, "samples").plainSummary(false)) {
            bar.step(10);
        }
        assertEquals(0, quiet.size(), "the trainer prints its own epoch line");
    }

    @Test
    void bf16WithoutTheCpuIsOneLineBeforeAnyData() throws IOException {
        assumeFalse(Precision.cpuHasBf16(), "this CPU has bf16");
        Path cfg = write("b.json", """
                {"name": "x", "classes": [0, 1], "distribution": [0.9, 0.1], "precision": "bf16"}""");
        // the data folder does not exist: the precision error must come first
        var o = OwnDataCliTest.withStderr("train", "--config", cfg.toString(), "--out", dir.resolve("o").toString(),
                "--data-dir", dir.resolve("no-data").toString());
        assertEquals(2, o.status());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains("needs a CPU with AVX512_BF16 or AMX (this one, " + Precision.cpuModel() + ", has"), o.err());
        assertFalse(o.err().contains("( ") || o.err().contains(" ,"), "the CPU name is trimmed: " + o.err());
    }

    @Test
    void aBrokenNonCanonicalFileIsOneErrorWithoutAHashWarning() throws IOException {
        Path data = dir.resolve("broken");
        TestData.writeSynthetic(data, 5, 5, 1);
        Path labels = data.resolve(FashionMnistFile.TRAIN_LABELS.fileName());
        dev.losslab.data.IdxFile.writeLabels(labels, new byte[3]);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        var e = assertThrows(LosslabException.class,
                () -> new FashionMnistSource(new PrintStream(log)).load(data));
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
        assertEquals(0, log.size(), "no warning before the error: " + log);
    }

    @Test
    void tuneCostTakesAJsonMatrixFileAndSaysTheFormat() throws IOException {
        Path cost = write("costs.json", "[[0, 1], [5, 0]]");
        assertArrayEquals(new double[][] {{0, 1}, {5, 0}}, TuneCommand.parseCost(cost.toString()));
        assertArrayEquals(new double[][] {{0, 1}, {5, 0}}, TuneCommand.parseCost("0,1;5,0"));
        var bad = assertThrows(LosslabException.class, () -> TuneCommand.parseCost(write("bad.json", "{\"a\": 1}").toString()));
        assertTrue(bad.getMessage().endsWith("bad.json: holds an object {\"a\":1}; want a JSON matrix of numbers such as "
                + "[[0, 1], [5, 0]]"), bad.getMessage());
        // our words, not Jackson's: the cell that is not a number, where the JSON breaks, an empty matrix
        var text = assertThrows(LosslabException.class, () -> TuneCommand.parseCost(write("text.json", "[[0, \"a\"], [5, 0]]")
                .toString())).getMessage();
        assertTrue(text.contains("text.json: row 1, column 2 is the text \"a\", not a number; want a JSON matrix"), text);
        var cut = assertThrows(LosslabException.class, () -> TuneCommand.parseCost(write("cut.json", "[[0, 1], [5")
                .toString())).getMessage();
        assertTrue(cut.contains("cut.json: not valid JSON (line 1, column "), cut);
        var row = assertThrows(LosslabException.class, () -> TuneCommand.parseCost(write("row.json", "[[0, 1], 5]")
                .toString())).getMessage();
        assertTrue(row.contains("row 2 is 5, not a list"), row);
        assertTrue(assertThrows(LosslabException.class, () -> TuneCommand.parseCost(write("empty.json", "[]").toString()))
                .getMessage().contains("empty.json: empty;"));
        for (String m : java.util.List.of(bad.getMessage(), text, cut, row)) {
            assertFalse(m.contains("Cannot deserialize") || m.contains("Unexpected end") || m.contains("`"), m);
            assertEquals(1, m.lines().count(), m);
        }
        var inline = assertThrows(LosslabException.class, () -> TuneCommand.parseCost("0,x;5,0"));
        assertTrue(inline.getMessage().contains("or a JSON file such as [[0,1],[5,0]]"), inline.getMessage());
        assertTrue(assertThrows(LosslabException.class, () -> TuneCommand.parseCost("missing.json")).getMessage()
                .contains("file not found"));
    }

    /**
     * The launcher's class-data warm-up: a real synthetic sweep in a temp folder, status 0, nothing left behind, in the
     * decoded-data cache either (it used to add an entry there on every build).
     */
    @Test
    void warmupRunsATinySweepAndLeavesNothingBehind() throws java.io.IOException {
        java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
        java.util.function.Supplier<Long> warmups = () -> {
            try (var s = java.nio.file.Files.list(tmp)) {
                return s.filter(p -> p.getFileName().toString().startsWith("losslab-warmup")).count();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        long before = warmups.get();
        java.nio.file.Path cache = dev.losslab.data.FolderImages.cacheDirectory();
        var cachedBefore = dev.losslab.data.DecodedCacheEntries.list(cache).entries().stream().map(e -> e.path()).toList();
        var o = CliTest.cli("warmup");
        assertEquals(0, o.status(), o.err());
        assertEquals(before, warmups.get(), "the temp folder was removed");
        assertEquals(cachedBefore, dev.losslab.data.DecodedCacheEntries.list(cache).entries().stream().map(e -> e.path())
                .toList(), "the warm-up's synthetic files left no entry in the decoded-data cache " + cache);
        assertTrue(!CliTest.cli("--help").out().contains("warmup"), "hidden from the usage");
    }

    @Test
    void anUnknownCommandIsAnErrorNotTheUsage() {
        // ("summary" was the unknown command in the report; it is a command now, so another stands in)
        var o = CliTest.cli("summarise", "--help");
        CliTest.assertOneLineError(o, "unknown command 'summarise'");
        assertTrue(o.out().isEmpty(), o.out());
        assertTrue(o.err().contains("summary") && !o.err().contains("warmup"), "hidden commands are not offered: " + o.err());
        var real = CliTest.cli("summary", "--help");
        assertEquals(0, real.status());
        assertTrue(real.out().contains("model.summary()"), real.out());
    }
}
