package dev.losslab.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.losslab.LosslabException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code "data"} block of a run or sweep config: which images to train on. Exactly one source:
 * <ul>
 *   <li>{@code directory}: one subfolder per class (Keras' {@code image_dataset_from_directory},
 *       {@code labels="inferred"}), with {@code classNames}, {@code colorMode}, {@code imageSize},
 *       {@code interpolation}, {@code cropToAspectRatio}, {@code padToAspectRatio}, {@code allowEmpty};
 *       test images from {@code testDirectory}, else a stratified {@code testSplit} held out;</li>
 *   <li>{@code idx}: IDX image and label files of any size (gzip'd or raw; {@code transpose} for EMNIST);</li>
 *   <li>{@code npz}: Keras' {@code mnist.npz} layout ({@code x_train, y_train, x_test, y_test});
 *       {@code npy}: the same as separate {@code .npy} files;</li>
 *   <li>{@code cifar10}: the CIFAR-10 binary batches folder.</li>
 * </ul>
 * Without test files, {@code testSplit} (default 0.2) of the training images is held out, stratified
 * per class and seeded by {@code splitSeed} (default 1), the same for every run seed. Relative paths
 * are taken from the working directory. Absent block: Fashion-MNIST, exactly as before.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataConfig(String directory, String testDirectory, Double testSplit, Long splitSeed,
                         List<String> classNames, ColorMode colorMode, int[] imageSize, Interpolation interpolation,
                         Boolean cropToAspectRatio, Boolean padToAspectRatio, Boolean allowEmpty, Files idx, String npz,
                         Files npy, String cifar10, Boolean transpose, Boolean cache, String validationDirectory) {

    /** A block without an explicit validation set. */
    public DataConfig(String directory, String testDirectory, Double testSplit, Long splitSeed, List<String> classNames,
                      ColorMode colorMode, int[] imageSize, Interpolation interpolation, Boolean cropToAspectRatio,
                      Boolean padToAspectRatio, Boolean allowEmpty, Files idx, String npz, Files npy, String cifar10,
                      Boolean transpose, Boolean cache) {
        this(directory, testDirectory, testSplit, splitSeed, classNames, colorMode, imageSize, interpolation,
                cropToAspectRatio, padToAspectRatio, allowEmpty, idx, npz, npy, cifar10, transpose, cache, null);
    }

    /** Train and test files of an IDX or .npy source; the test pair may be left out (then {@code testSplit}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Files(String trainImages, String trainLabels, String testImages, String testLabels) {
    }

    public static final double DEFAULT_TEST_SPLIT = 0.2;

    /** Which source the block names: directory, idx, npz, npy or cifar10. */
    @JsonIgnore
    public String kind() {
        List<String> given = new ArrayList<>();
        if (directory != null) {
            given.add("directory");
        }
        if (idx != null) {
            given.add("idx");
        }
        if (npz != null) {
            given.add("npz");
        }
        if (npy != null) {
            given.add("npy");
        }
        if (cifar10 != null) {
            given.add("cifar10");
        }
        if (given.size() != 1) {
            throw new LosslabException("data: give exactly one source of directory, idx, npz, npy and cifar10"
                    + (given.isEmpty() ? "" : " (got " + String.join(", ", given) + ")"));
        }
        return given.get(0);
    }

    /** Checks the block without reading images. */
    public DataConfig validate() {
        String kind = kind();
        boolean folder = kind.equals("directory");
        if (!folder) {
            for (var e : Map.of("testDirectory", testDirectory != null, "validationDirectory", validationDirectory != null,
                    "colorMode", colorMode != null,
                    "imageSize", imageSize != null, "interpolation", interpolation != null,
                    "cropToAspectRatio", cropToAspectRatio != null, "padToAspectRatio", padToAspectRatio != null,
                    "allowEmpty", allowEmpty != null).entrySet()) {
                if (e.getValue()) {
                    throw new LosslabException("data." + e.getKey() + " applies to a directory source only, not " + kind);
                }
            }
        }
        if (transpose != null && !kind.equals("idx") && !kind.equals("npz") && !kind.equals("npy")) {
            throw new LosslabException("data.transpose applies to idx, npz and npy sources only");
        }
        if (testSplit != null && !(testSplit > 0 && testSplit < 1)) {
            throw new LosslabException("data.testSplit must be in (0, 1), got " + testSplit);
        }
        if (folder) {
            decodeOptions();
        }
        Files f = kind.equals("idx") ? idx : kind.equals("npy") ? npy : null;
        if (f != null) {
            if (f.trainImages() == null || f.trainLabels() == null) {
                throw new LosslabException("data." + kind + ": give trainImages and trainLabels (and testImages, testLabels)");
            }
            if ((f.testImages() == null) != (f.testLabels() == null)) {
                throw new LosslabException("data." + kind + ": give both testImages and testLabels, or neither (then testSplit)");
            }
        }
        if (classNames != null && classNames.isEmpty()) {
            throw new LosslabException("data.classNames: empty list");
        }
        return this;
    }

    /**
     * The images' shape when the block says it without reading a picture (a folder with imageSize, CIFAR-10),
     * else null.
     */
    @JsonIgnore
    public InputShape knownInputShape() {
        String kind = kind();
        if (kind.equals("directory") && imageSize != null) {
            DecodeOptions d = decodeOptions();
            return new InputShape(imageSize[0], imageSize[1], d.colorMode().channels());
        }
        if (kind.equals("cifar10")) {
            return new InputShape(32, 32, 3);
        }
        return null;
    }

    /** How a directory source decodes its pictures. */
    @JsonIgnore
    public DecodeOptions decodeOptions() {
        return new DecodeOptions(colorMode, imageSize, interpolation, Boolean.TRUE.equals(cropToAspectRatio),
                Boolean.TRUE.equals(padToAspectRatio));
    }

    @JsonIgnore
    public double testSplitOrDefault() {
        return testSplit == null ? DEFAULT_TEST_SPLIT : testSplit;
    }

    @JsonIgnore
    public long splitSeedOrDefault() {
        return splitSeed == null ? 1L : splitSeed;
    }

    private static final Map<String, List<String>> CLASS_NAMES = new ConcurrentHashMap<>();

    /**
     * The source's class list without reading images (folder names, classNames, batches.meta.txt,
     * or the label files alone), so configs can be checked before any training.
     */
    public List<String> sourceClassNames() {
        validate();
        String key = toString() + "|" + (directory == null ? "" : directory) + "|" + java.util.Arrays.toString(imageSize);
        List<String> cached = CLASS_NAMES.get(key);
        if (cached != null) {
            return cached;
        }
        List<String> names = switch (kind()) {
            case "directory" -> ImageFolder.classes(Path.of(directory), classNames);
            case "cifar10" -> Cifar10Source.classNames(Path.of(cifar10));
            default -> classNames != null ? List.copyOf(classNames) : ArraySource.labelClassNames(this);
        };
        CLASS_NAMES.put(key, names);
        return names;
    }

    /** Reads the images. */
    public SourceData load(PrintStream log) {
        validate();
        return switch (kind()) {
            case "directory" -> FolderSource.load(this, log);
            case "idx" -> ArraySource.loadIdx(this, log);
            case "npz" -> ArraySource.loadNpz(this, log);
            case "npy" -> ArraySource.loadNpy(this, log);
            case "cifar10" -> Cifar10Source.load(this, log);
            default -> throw new IllegalStateException(kind());
        };
    }

    /** A short description, e.g. "directory photos (rgb, 32x32 bilinear)". */
    public String describe() {
        return switch (kind()) {
            case "directory" -> "directory " + directory + " (" + decodeOptions().describe() + ")";
            case "idx" -> "idx " + idx.trainImages();
            case "npz" -> "npz " + npz;
            case "npy" -> "npy " + npy.trainImages();
            default -> "cifar10 " + cifar10;
        };
    }
}
