package dev.losslab.cli;

import dev.losslab.util.OwnedFolder;
import dev.losslab.data.FashionMnistFile;
import dev.losslab.data.FolderImages;
import dev.losslab.data.IdxFile;
import dev.losslab.data.IdxImages;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * A small sweep on synthetic Fashion-MNIST-shaped files in a temporary folder (a binary run tuned on a
 * grid and a three-class run tuned with Smile's tree; TensorBoard logs, SavedModels, a summary), in this
 * process, output discarded. The launcher runs it once per build with
 * {@code -XX:ArchiveClassesAtExit} so that the JVM's class-data archive holds the classes a real run
 * loads (picocli, Jackson, TensorFlow Java, protobuf, Smile, losslab): later processes start faster. Its
 * decoded-data cache is a folder inside its temporary folder, so a build adds nothing to the user's cache.
 */
@Command(name = "warmup", hidden = true, mixinStandardHelpOptions = true, description = "Run a tiny synthetic sweep (used by tools/losslab to build "
        + "the JVM's class-data archive).")
public final class WarmupCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
        Path dir = OwnedFolder.create(Files.createTempDirectory("losslab-warmup"));
        try {
            Path data = dir.resolve("data");
            Files.createDirectories(data);
            SplittableRandom random = new SplittableRandom(1);
            write(data, FashionMnistFile.TRAIN_IMAGES, FashionMnistFile.TRAIN_LABELS, 1200, random);
            write(data, FashionMnistFile.TEST_IMAGES, FashionMnistFile.TEST_LABELS, 300, random);
            Path config = dir.resolve("warmup.json");
            Files.writeString(config, """
                    {"name": "warmup", "classes": [0, 1, 2], "distributions": [[0.6, 0.3, 0.1]],
                     "losses": ["crossentropy"], "epochs": 1, "batchSize": 32, "learningRate": 0.001, "seeds": [1],
                     "tuning": ["argmax", "absolute"]}
                    """);
            Path binary = dir.resolve("binary.json");
            Files.writeString(binary, """
                    {"name": "warmup-binary", "classes": [0, 1], "distributions": [[0.9, 0.1]],
                     "losses": ["soft_f1"], "epochs": 1, "batchSize": 32, "learningRate": 0.001, "seeds": [1],
                     "tuning": ["grid"]}
                    """);
            // its synthetic files get cache entries of their own, in the folder deleted below, never the user's cache
            String cacheBefore = System.getProperty(FolderImages.CACHE_PROPERTY);
            System.setProperty(FolderImages.CACHE_PROPERTY, dir.resolve("cache").toString());
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            PrintStream err = System.err;
            PrintStream out = System.out;
            System.setErr(quiet);
            System.setOut(quiet);
            try {
                java.io.PrintWriter none = new java.io.PrintWriter(OutputStream.nullOutputStream());
                for (Path c : new Path[] {binary, config}) {
                    int status = Main.execute(new String[] {"experiment", "--config", c.toString(), "--data-dir",
                        data.toString(), "--out", dir.resolve("out-" + c.getFileName()).toString(), "--jobs", "1"}, none, none);
                    if (status != 0) {
                        return status;
                    }
                }
            } finally {
                System.setErr(err);
                System.setOut(out);
                if (cacheBefore == null) {
                    System.clearProperty(FolderImages.CACHE_PROPERTY);
                } else {
                    System.setProperty(FolderImages.CACHE_PROPERTY, cacheBefore);
                }
            }
            return 0;
        } finally {
            OwnedFolder.delete(dir);
        }
    }

    private static void write(Path dir, FashionMnistFile images, FashionMnistFile labels, int n, SplittableRandom random)
            throws IOException {
        byte[] pixels = new byte[n * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) {
            y[i] = (byte) (i % 10);
        }
        IdxFile.writeImages(dir.resolve(images.fileName()), new IdxImages(n, 28, 28, pixels));
        IdxFile.writeLabels(dir.resolve(labels.fileName()), y);
    }
}
