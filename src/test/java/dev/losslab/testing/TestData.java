package dev.losslab.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.losslab.data.FashionMnist;
import dev.losslab.data.FashionMnistFile;
import dev.losslab.data.FashionMnistSource;
import dev.losslab.data.IdxFile;
import dev.losslab.data.IdxImages;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Test data: the real Fashion-MNIST files (loaded once per JVM) and small synthetic IDX sets. */
public final class TestData {
    private static FashionMnist real;

    private TestData() {
    }

    /** The canonical files: $LOSSLAB_DATA, else ../shared/data/fashion-mnist-offline. */
    public static Path realDirectory() {
        String env = System.getenv(FashionMnistSource.ENV);
        Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of("..", "shared", "data", "fashion-mnist-offline");
        return dir;
    }

    /** The real data, or the test is skipped with a message saying where they were looked for. */
    public static synchronized FashionMnist real() {
        Path dir = realDirectory();
        assumeTrue(FashionMnistSource.hasAllFiles(dir),
                "Fashion-MNIST not found in " + dir.toAbsolutePath() + " (set LOSSLAB_DATA); skipping real-data test");
        if (real == null) {
            real = new FashionMnistSource(new PrintStream(OutputStream.nullOutputStream())).load(dir);
        }
        return real;
    }

    public static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    /**
     * Writes the four Fashion-MNIST file names into {@code dir} holding a small, learnable synthetic
     * set: class c is a bright 6x6 square at a class-specific place plus noise.
     */
    public static void writeSynthetic(Path dir, int trainPerClass, int testPerClass, long seed) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom random = new SplittableRandom(seed);
        write(dir, FashionMnistFile.TRAIN_IMAGES, FashionMnistFile.TRAIN_LABELS, trainPerClass, random);
        write(dir, FashionMnistFile.TEST_IMAGES, FashionMnistFile.TEST_LABELS, testPerClass, random);
    }

    private static void write(Path dir, FashionMnistFile imagesFile, FashionMnistFile labelsFile, int perClass,
                              SplittableRandom random) throws IOException {
        int n = perClass * 10;
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            labels[i] = (byte) c;
            int r0 = 2 + (c / 5) * 12;
            int c0 = 2 + (c % 5) * 5;
            for (int p = 0; p < 784; p++) {
                pixels[i * 784 + p] = (byte) random.nextInt(60);
            }
            for (int r = r0; r < r0 + 6; r++) {
                for (int col = c0; col < c0 + 6 && col < 28; col++) {
                    pixels[i * 784 + r * 28 + col] = (byte) (180 + random.nextInt(70));
                }
            }
        }
        IdxFile.writeImages(dir.resolve(imagesFile.fileName()), new IdxImages(n, 28, 28, pixels));
        IdxFile.writeLabels(dir.resolve(labelsFile.fileName()), labels);
    }
}
