package dev.losslab.cli;

import static dev.losslab.cli.CliTest.assertOneLineError;
import static dev.losslab.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import dev.losslab.testing.TestData;
import dev.losslab.util.OwnedFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing a user owns is deleted: every command that writes refuses a path it did not create (the input, the working
 * folder, a folder or file of the user's) before touching it, and --force replaces only losslab's own folders.
 */
class OutputSafetyTest {
    static final Path KERAS = Path.of("..", "shared", "reference", "keras-files", "train-init.keras");

    @TempDir
    static Path dir;
    static Path data;
    static Path config;

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

    static List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.walk(d)) {
            return s.map(p -> d.relativize(p).toString()).sorted().toList();
        }
    }

    /** A folder of the user's: a file of theirs and a subfolder with another. */
    static Path userFolder(String name) throws IOException {
        Path u = Files.createDirectories(dir.resolve(name).resolve("notes"));
        Files.writeString(u.getParent().resolve("thesis.tex"), "mine");
        Files.writeString(u.resolve("todo.txt"), "mine too");
        return u.getParent();
    }

    @Test
    void exportRefusesTheWorkingFolderAndLeavesItIntact() throws IOException {
        Path cwd = Path.of("").toAbsolutePath();
        List<String> before;
        try (Stream<Path> s = Files.list(cwd)) {
            before = s.map(Path::toString).sorted().toList();
        }
        for (String out : List.of(".", cwd.toString(), cwd.getParent().toString())) {
            assertOneLineError(cli("export", "--model", KERAS.toString(), "--out", out, "--force"), "working folder");
        }
        try (Stream<Path> s = Files.list(cwd)) {
            assertEquals(before, s.map(Path::toString).sorted().toList());
        }
    }

    @Test
    void exportRefusesTheFolderHoldingItsInput() throws IOException {
        Path d = Files.createDirectories(dir.resolve("holds-input"));
        Path m = d.resolve("m.keras");
        Files.copy(KERAS, m);
        for (String[] extra : List.of(new String[0], new String[] {"--force"})) {
            List<String> args = new java.util.ArrayList<>(List.of("export", "--model", m.toString(), "--out", d.toString()));
            args.addAll(List.of(extra));
            assertOneLineError(cli(args.toArray(String[]::new)), "holds the input");
        }
        assertTrue(Files.isRegularFile(m), "the input survives");
        assertEquals(Files.size(KERAS), Files.size(m));
    }

    @Test
    void exportRefusesAUserFolderAndAFileEvenWithForce() throws IOException {
        Path u = userFolder("users-folder");
        List<String> before = listing(u);
        assertOneLineError(cli("export", "--model", KERAS.toString(), "--out", u.toString()), "not empty");
        assertOneLineError(cli("export", "--model", KERAS.toString(), "--out", u.toString(), "--force"),
                "not written by losslab");
        assertEquals(before, listing(u));
        Path file = Files.writeString(dir.resolve("a-file"), "mine");
        assertOneLineError(cli("export", "--model", KERAS.toString(), "--out", file.toString(), "--force"), "not a folder");
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void exportForceReplacesOnlyItsOwnFolder() throws IOException {
        Path out = dir.resolve("exported");
        var first = cli("export", "--model", KERAS.toString(), "--out", out.toString());
        assertEquals(0, first.status(), first.err());
        assertTrue(OwnedFolder.isOwned(out), "the folder carries losslab's marker");
        assertTrue(Files.isRegularFile(out.resolve("saved_model.pb")));
        assertOneLineError(cli("export", "--model", KERAS.toString(), "--out", out.toString()), "--force");
        var again = cli("export", "--model", KERAS.toString(), "--out", out.toString(), "--force");
        assertEquals(0, again.status(), again.err());
        assertTrue(Files.isRegularFile(out.resolve("saved_model.pb")));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".exported")), "no temporary siblings left");
        }
    }

    @Test
    void trainForceNeverEmptiesAUserFolder() throws IOException {
        Path u = userFolder("users-run");
        List<String> before = listing(u);
        assertOneLineError(cli("train", "--config", config.toString(), "--out", u.toString(), "--data-dir", data.toString(),
                "--force"), "not written by losslab");
        assertEquals(before, listing(u));
        assertOneLineError(cli("train", "--config", config.toString(), "--out", data.toString(), "--data-dir", data.toString(),
                "--force"), "holds the input");
    }

    @Test
    void trainForceReplacesItsOwnRunAndAnEmptyFolderIsFine() throws IOException {
        Path out = Files.createDirectories(dir.resolve("empty-run"));
        var o = cli("train", "--config", config.toString(), "--out", out.toString(), "--data-dir", data.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(OwnedFolder.isOwned(out));
        var again = cli("train", "--config", config.toString(), "--out", out.toString(), "--data-dir", data.toString(),
                "--force");
        assertEquals(0, again.status(), again.err());
        assertTrue(Files.isRegularFile(out.resolve("run.json")));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".empty-run")), "no hidden siblings left");
        }
    }

    @Test
    void predictNeverOverwritesAFileOrItsInputWithoutForce() throws IOException {
        Path model = dir.resolve("for-predict");
        assertEquals(0, cli("export", "--model", KERAS.toString(), "--out", model.toString()).status());
        Path x = Path.of("..", "shared", "reference", "keras-files", "x.npy");
        Path mine = Files.writeString(dir.resolve("mine.csv"), "mine");
        assertOneLineError(cli("predict", "--model", model.toString(), "--images", x.toString(), "--out", mine.toString()),
                "exists");
        assertEquals("mine", Files.readString(mine));
        assertOneLineError(cli("predict", "--model", model.toString(), "--images", x.toString(), "--out", x.toString(),
                "--force"), "would overwrite the input");
        assertOneLineError(cli("predict", "--model", KERAS.toString(), "--images", x.toString(), "--out", KERAS.toString(),
                "--force"), "would overwrite the input");
        assertOneLineError(cli("predict", "--model", model.toString(), "--images", x.toString(), "--out", dir.toString()),
                "is a folder");
        var ok = cli("predict", "--model", model.toString(), "--images", x.toString(), "--out", mine.toString(), "--force");
        assertEquals(0, ok.status(), ok.err());
        assertTrue(Files.readString(mine).startsWith("index,"));
    }

    @Test
    void predictOnAKerasFileLeavesNoCopyInTheTempFolder() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<String> before = kerasLeftovers(tmp);
        Path x = Path.of("..", "shared", "reference", "keras-files", "x.npy");
        var o = cli("predict", "--model", KERAS.toString(), "--images", x.toString());
        assertEquals(0, o.status(), o.err());
        assertEquals(before, kerasLeftovers(tmp), "no weight copy or exported model left behind");
    }

    private static List<String> kerasLeftovers(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("losslab-weights") || n.startsWith("losslab-keras")).sorted().toList();
        }
    }

    @Test
    void theOneDeleteHelperRefusesWhatLosslabDidNotWrite() throws IOException {
        Path u = userFolder("users-delete");
        IOException e = assertThrows(IOException.class, () -> OwnedFolder.delete(u));
        assertTrue(e.getMessage().contains("not written by losslab"), e.getMessage());
        assertTrue(Files.isRegularFile(u.resolve("thesis.tex")));
        Path link = dir.resolve("link-to-user");
        Files.createSymbolicLink(link, u);
        assertThrows(IOException.class, () -> OwnedFolder.delete(link));
        // an owned folder holding a link to the user's folder: the link goes, the user's folder stays
        Path owned = OwnedFolder.create(dir.resolve("owned"));
        Files.createSymbolicLink(owned.resolve("link"), u);
        OwnedFolder.delete(owned);
        assertFalse(Files.exists(owned));
        assertTrue(Files.isRegularFile(u.resolve("notes").resolve("todo.txt")));
        assertThrows(LosslabException.class, () -> OwnedFolder.checkOutput("--out", u.resolve("notes"), true,
                u.resolve("notes").resolve("todo.txt")));
    }

    @Test
    void writersAllGoThroughTheOneHelper() throws IOException {
        // recursive deletes (a walk that deletes) live only in OwnedFolder
        Path src = Path.of("src", "main", "java");
        List<String> offenders;
        try (Stream<Path> s = Files.walk(src)) {
            offenders = s.filter(p -> p.toString().endsWith(".java") && !p.endsWith(Path.of("util", "OwnedFolder.java")))
                    .filter(p -> {
                        try {
                            String t = Files.readString(p);
                            return t.contains("Files.walk(") && (t.contains("Files.delete(") || t.contains("deleteIfExists(")
                                    || t.contains(".delete()"));
                        } catch (IOException ex) {
                            throw new java.io.UncheckedIOException(ex);
                        }
                    }).map(Path::toString).toList();
        }
        assertEquals(List.of(), offenders, "files that walk and delete on their own");
    }
}
