package dev.losslab.data;

import dev.losslab.LosslabException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The array sources: IDX files of any size, Keras' {@code mnist.npz} layout, and separate {@code .npy} files. */
final class ArraySource {
    private ArraySource() {
    }

    static SourceData loadIdx(DataConfig c, PrintStream log) {
        DataConfig.Files f = c.idx();
        Path ti = Path.of(f.trainImages());
        Path tl = Path.of(f.trainLabels());
        LabelledImages train = idx(ti, tl);
        LabelledImages test = null;
        List<String> paths = new ArrayList<>(List.of(abs(ti), abs(tl)));
        if (f.testImages() != null) {
            Path si = Path.of(f.testImages());
            Path sl = Path.of(f.testLabels());
            test = idx(si, sl);
            paths.add(abs(si));
            paths.add(abs(sl));
        }
        return finish("idx", c, train, test, paths, log);
    }

    private static LabelledImages idx(Path images, Path labels) {
        IdxImages im = IdxFile.readImages(images);
        byte[] lb = IdxFile.readLabels(labels);
        IdxFile.checkPair(images, im, labels, lb);
        int[] l = new int[lb.length];
        for (int i = 0; i < lb.length; i++) {
            l[i] = lb[i] & 0xff;
        }
        return new LabelledImages(im.pixels(), l, im.rows(), im.cols(), 1);
    }

    static SourceData loadNpz(DataConfig c, PrintStream log) {
        Path file = Path.of(c.npz());
        Map<String, NpyArray> arrays = NpzFile.read(file);
        LabelledImages train = NpzFile.require(file, arrays, "x_train").images(NpzFile.require(file, arrays, "y_train").labels());
        LabelledImages test = null;
        if (arrays.containsKey("x_test") || arrays.containsKey("y_test")) {
            test = NpzFile.require(file, arrays, "x_test").images(NpzFile.require(file, arrays, "y_test").labels());
        }
        SourceData data = finish("npz", c, train, test, List.of(abs(file)), log);
        if (arrays.containsKey("x_val") || arrays.containsKey("y_val")) {
            LabelledImages val = NpzFile.require(file, arrays, "x_val").images(NpzFile.require(file, arrays, "y_val").labels());
            data = data.withValidation(Boolean.TRUE.equals(c.transpose()) ? transpose(val) : val, file + " x_val");
        }
        return data;
    }

    static SourceData loadNpy(DataConfig c, PrintStream log) {
        DataConfig.Files f = c.npy();
        List<String> paths = new ArrayList<>();
        LabelledImages train = npy(f.trainImages(), f.trainLabels(), paths);
        LabelledImages test = f.testImages() == null ? null : npy(f.testImages(), f.testLabels(), paths);
        return finish("npy", c, train, test, paths, log);
    }

    private static LabelledImages npy(String images, String labels, List<String> paths) {
        Path pi = Path.of(images);
        Path pl = Path.of(labels);
        paths.add(abs(pi));
        paths.add(abs(pl));
        int[] l = NpyArray.parse(pl.toString(), read(pl)).labels();
        return NpyArray.parse(pi.toString(), read(pi)).images(l);
    }

    /**
     * Class names "0".."K-1" from the labels alone (K = the largest label + 1, as a full load names
     * them), so configs are checked without reading the images.
     */
    static List<String> labelClassNames(DataConfig c) {
        List<int[]> labels = new ArrayList<>();
        switch (c.kind()) {
            case "idx" -> {
                for (String f : new String[] {c.idx().trainLabels(), c.idx().testLabels()}) {
                    if (f != null) {
                        byte[] b = IdxFile.readLabels(Path.of(f));
                        int[] l = new int[b.length];
                        for (int i = 0; i < b.length; i++) {
                            l[i] = b[i] & 0xff;
                        }
                        labels.add(l);
                    }
                }
            }
            case "npy" -> {
                for (String f : new String[] {c.npy().trainLabels(), c.npy().testLabels()}) {
                    if (f != null) {
                        labels.add(NpyArray.parse(f, read(Path.of(f))).labels());
                    }
                }
            }
            case "npz" -> {
                Path file = Path.of(c.npz());
                Map<String, NpyArray> arrays = NpzFile.read(file, java.util.Set.of("y_train", "y_test"));
                labels.add(NpzFile.require(file, arrays, "y_train").labels());
                if (arrays.containsKey("y_test")) {
                    labels.add(arrays.get("y_test").labels());
                }
            }
            default -> throw new IllegalStateException(c.kind());
        }
        int max = 0;
        for (int[] l : labels) {
            max = Math.max(max, max(l));
        }
        if (max < 1) {
            throw new LosslabException(c.kind() + ": the labels hold only one class (0); need at least 2");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            names.add(String.valueOf(i));
        }
        return names;
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new LosslabException(p + ": file not found");
        } catch (java.io.IOException e) {
            throw new LosslabException(p + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /** Transposes, names the classes, checks labels, holds out a test split when there is no test set. */
    static SourceData finish(String kind, DataConfig c, LabelledImages train, LabelledImages test, List<String> paths,
                             PrintStream log) {
        if (Boolean.TRUE.equals(c.transpose())) {
            train = transpose(train);
            test = test == null ? null : transpose(test);
        }
        if (test != null && (test.height() != train.height() || test.width() != train.width()
                || test.channels() != train.channels())) {
            throw new LosslabException(kind + ": test images are " + shape(test) + " but training images are " + shape(train));
        }
        int maxLabel = max(train.labels());
        if (test != null) {
            maxLabel = Math.max(maxLabel, max(test.labels()));
        }
        List<String> names;
        if (c.classNames() != null) {
            names = List.copyOf(c.classNames());
            checkLabels(kind + " training labels", train.labels(), names.size());
            if (test != null) {
                checkLabels(kind + " test labels", test.labels(), names.size());
            }
        } else {
            names = new ArrayList<>();
            for (int i = 0; i <= maxLabel; i++) {
                names.add(String.valueOf(i));
            }
        }
        if (names.size() < 2) {
            throw new LosslabException(kind + ": the labels hold only one class (" + names.get(0) + "); need at least 2");
        }
        String testFrom;
        if (test == null) {
            LabelledImages[] parts = Holdout.split(train, names.size(), c.testSplitOrDefault(), c.splitSeedOrDefault());
            train = parts[0];
            test = parts[1];
            testFrom = Holdout.describe(c.testSplitOrDefault(), c.splitSeedOrDefault());
        } else {
            testFrom = "test files";
        }
        log.println(String.format(java.util.Locale.ROOT, "Found %d images of %s belonging to %d classes (%s).",
                train.size() + test.size(), shape(train), names.size(), kind));
        int k = names.size();
        return new SourceData(names, train, test, new SourceProvenance(kind, paths, names, train.shape(),
                train.classCounts(k), test.classCounts(k), testFrom, null, null,
                SourceData.contentSha256(names, train, test), null, null));
    }

    static void checkLabels(String what, int[] labels, int k) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= k) {
                throw new LosslabException(what + ": label " + labels[i] + " at index " + i + " is outside 0.." + (k - 1)
                        + " (classNames lists " + k + ")");
            }
        }
    }

    private static int max(int[] a) {
        int m = 0;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    static String shape(LabelledImages s) {
        return s.height() + "x" + s.width() + "x" + s.channels();
    }

    /** Each image's rows and columns swapped (EMNIST stores its images transposed). */
    static LabelledImages transpose(LabelledImages s) {
        int h = s.height();
        int w = s.width();
        int c = s.channels();
        int per = s.perImage();
        byte[] out = new byte[s.pixels().length];
        for (int n = 0; n < s.size(); n++) {
            int base = n * per;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        out[base + (x * h + y) * c + ch] = s.pixels()[base + (y * w + x) * c + ch];
                    }
                }
            }
        }
        return new LabelledImages(out, s.labels(), w, h, c);
    }
}
