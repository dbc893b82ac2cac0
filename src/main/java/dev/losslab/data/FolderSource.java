package dev.losslab.data;

import dev.losslab.LosslabException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A {@code "directory"} source: an {@link ImageFolder} (and its test folder) decoded by {@link FolderImages}. */
final class FolderSource {
    private FolderSource() {
    }

    static SourceData load(DataConfig c, PrintStream out) {
        // messages are held until the load succeeds, so a bad file gives one error line, not a story
        java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();
        PrintStream log = new PrintStream(held, true, java.nio.charset.StandardCharsets.UTF_8);
        SourceData data = load(c, log, out);
        out.print(held.toString(java.nio.charset.StandardCharsets.UTF_8));
        out.flush();
        return data;
    }

    private static SourceData load(DataConfig c, PrintStream log, PrintStream live) {
        DecodeOptions options = c.decodeOptions();
        boolean allowEmpty = Boolean.TRUE.equals(c.allowEmpty());
        boolean cache = c.cache() == null || c.cache();
        Path root = Path.of(c.directory());
        ImageFolder train = ImageFolder.index(root, c.classNames(), allowEmpty);
        FolderImages.Loaded trainImages = decode(train, "", options, cache, log, live);
        List<String> paths = new ArrayList<>(List.of(root.toAbsolutePath().normalize().toString()));
        LabelledImages trainSet;
        LabelledImages testSet;
        List<String> trainFiles;
        List<String> testFiles;
        String test;
        int skipped = train.skipped();
        if (c.testDirectory() != null) {
            Path testRoot = Path.of(c.testDirectory());
            ImageFolder testFolder = ImageFolder.index(testRoot, train.classNames(), allowEmpty);
            FolderImages.Loaded t = decode(testFolder, " (test)", options, cache, log, live);
            if (t.images().height() != trainImages.images().height() || t.images().width() != trainImages.images().width()) {
                throw new LosslabException("test images are " + t.images().height() + "x" + t.images().width()
                        + " but training images are " + trainImages.images().height() + "x" + trainImages.images().width()
                        + "; set \"imageSize\": [H, W] to resize both");
            }
            trainSet = trainImages.images();
            testSet = t.images();
            trainFiles = train.relative();
            testFiles = testFolder.relative();
            test = "testDirectory " + testRoot.toAbsolutePath().normalize();
            paths.add(testRoot.toAbsolutePath().normalize().toString());
            skipped += testFolder.skipped();
        } else {
            StratifiedSplit split = Holdout.indices(trainImages.images(), train.classNames().size(), c.testSplitOrDefault(),
                    c.splitSeedOrDefault());
            trainSet = Holdout.subset(trainImages.images(), split.train());
            testSet = Holdout.subset(trainImages.images(), split.holdout());
            trainFiles = Holdout.pick(train.relative(), split.train());
            testFiles = Holdout.pick(train.relative(), split.holdout());
            test = Holdout.describe(c.testSplitOrDefault(), c.splitSeedOrDefault());
        }
        int k = train.classNames().size();
        String sha = SourceData.contentSha256(train.classNames(), trainSet, testSet);
        SourceData data = new SourceData(train.classNames(), trainSet, testSet, new SourceProvenance("directory", paths,
                train.classNames(), trainSet.shape(), trainSet.classCounts(k), testSet.classCounts(k), test, options,
                skipped, sha, null, null), trainFiles, testFiles);
        if (c.validationDirectory() != null) {
            Path valRoot = Path.of(c.validationDirectory());
            ImageFolder valFolder = ImageFolder.index(valRoot, train.classNames(), allowEmpty);
            data = data.withValidation(decode(valFolder, " (validation)", options, cache, log, live).images(),
                    "validationDirectory " + valRoot);
            paths.add(valRoot.toAbsolutePath().normalize().toString());
        }
        return data;
    }

    /** Keras' "Found N files" line (held with the other messages), then the decoded or cached images. */
    private static FolderImages.Loaded decode(ImageFolder f, String suffix, DecodeOptions options, boolean cache,
                                              PrintStream log, PrintStream live) {
        log.println(String.format(Locale.ROOT, "Found %d files belonging to %d classes.%s%s", f.size(), f.classNames().size(),
                skippedNote(f), suffix));
        FolderImages.Loaded loaded = FolderImages.load(f, options, cache, live);
        note(log, f, loaded);
        return loaded;
    }

    private static String skippedNote(ImageFolder f) {
        return f.skipped() == 0 ? "" : " (skipped " + f.skipped() + " non-image or hidden file" + (f.skipped() == 1 ? "" : "s") + ")";
    }

    private static void note(PrintStream log, ImageFolder f, FolderImages.Loaded l) {
        if (l.fromCache()) {
            log.println(String.format(Locale.ROOT, "  %s: %d decoded images from the cache in %.2f s", f.root(), f.size(), l.seconds()));
        } else if (l.seconds() > 1) {
            log.println(String.format(Locale.ROOT, "  %s: decoded %d images in %.1f s (%.0f images/s); cached for the next run",
                    f.root(), f.size(), l.seconds(), f.size() / l.seconds()));
        }
    }
}
