package dev.losslab.data;

import dev.losslab.LosslabException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10's binary version (Krizhevsky 2009; https://www.cs.toronto.edu/~kriz/cifar.html):
 * {@code data_batch_1.bin} .. {@code data_batch_5.bin} and {@code test_batch.bin}, each a run of
 * 3,073-byte records (a label byte 0..9, then 1,024 red, 1,024 green and 1,024 blue bytes, each
 * plane 32x32 row-major), and {@code batches.meta.txt} with the class names one per line. Planes
 * are interleaved to 32x32x3 (channels last), as Keras' {@code cifar10.load_data} returns them.
 */
final class Cifar10Source {
    static final int SIDE = 32;
    static final int RECORD = 1 + 3 * SIDE * SIDE;
    static final List<String> TRAIN = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST = "test_batch.bin";

    private Cifar10Source() {
    }

    static List<String> classNames(Path dir) {
        Path meta = dir.resolve("batches.meta.txt");
        if (!Files.isRegularFile(meta)) {
            throw new LosslabException(dir + ": no batches.meta.txt (the CIFAR-10 binary folder, cifar-10-batches-bin, has it)");
        }
        try {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
            if (names.size() < 2) {
                throw new LosslabException(meta + ": lists " + names.size() + " class names; need at least 2");
            }
            return names;
        } catch (IOException e) {
            throw new LosslabException(meta + ": cannot read (" + e.getMessage() + ")");
        }
    }

    static SourceData load(DataConfig c, PrintStream log) {
        Path dir = Path.of(c.cifar10());
        if (!Files.isDirectory(dir)) {
            throw new LosslabException("data.cifar10: " + dir + " is not a directory (want cifar-10-batches-bin)");
        }
        List<String> names = c.classNames() != null ? List.copyOf(c.classNames()) : classNames(dir);
        List<Path> trainFiles = new ArrayList<>();
        for (String f : TRAIN) {
            Path p = dir.resolve(f);
            if (Files.isRegularFile(p)) {
                trainFiles.add(p);
            }
        }
        if (trainFiles.isEmpty()) {
            throw new LosslabException(dir + ": no data_batch_1.bin .. data_batch_5.bin");
        }
        LabelledImages train = read(trainFiles, names.size());
        Path testFile = dir.resolve(TEST);
        if (!Files.isRegularFile(testFile)) {
            throw new LosslabException(dir + ": no " + TEST);
        }
        LabelledImages test = read(List.of(testFile), names.size());
        List<String> paths = new ArrayList<>();
        for (Path p : trainFiles) {
            paths.add(p.toAbsolutePath().normalize().toString());
        }
        paths.add(testFile.toAbsolutePath().normalize().toString());
        log.println(String.format(java.util.Locale.ROOT, "Found %d images of 32x32x3 belonging to %d classes (cifar10).",
                train.size() + test.size(), names.size()));
        int k = names.size();
        return new SourceData(names, train, test, new SourceProvenance("cifar10", paths, names, train.shape(),
                train.classCounts(k), test.classCounts(k), "test_batch.bin", null, null,
                SourceData.contentSha256(names, train, test), null, null));
    }

    static LabelledImages read(List<Path> files, int numClasses) {
        List<byte[]> contents = new ArrayList<>();
        int n = 0;
        for (Path f : files) {
            byte[] b = ArraySource.read(f);
            if (b.length == 0 || b.length % RECORD != 0) {
                throw new LosslabException(f + ": " + b.length + " bytes is not a whole number of 3,073-byte CIFAR-10 records "
                        + "(a full batch is 30,730,000 bytes)");
            }
            contents.add(b);
            n += b.length / RECORD;
        }
        int plane = SIDE * SIDE;
        byte[] px = new byte[n * 3 * plane];
        int[] labels = new int[n];
        int at = 0;
        for (int fi = 0; fi < contents.size(); fi++) {
            byte[] b = contents.get(fi);
            for (int r = 0; r < b.length / RECORD; r++, at++) {
                int base = r * RECORD;
                int label = b[base] & 0xff;
                if (label >= numClasses) {
                    throw new LosslabException(files.get(fi) + ": record " + r + " has label " + label + ", outside 0.."
                            + (numClasses - 1));
                }
                labels[at] = label;
                int out = at * 3 * plane;
                for (int i = 0; i < plane; i++) {
                    px[out + 3 * i] = b[base + 1 + i];
                    px[out + 3 * i + 1] = b[base + 1 + plane + i];
                    px[out + 3 * i + 2] = b[base + 1 + 2 * plane + i];
                }
            }
        }
        return new LabelledImages(px, labels, SIDE, SIDE, 3);
    }
}
