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
        log.println(String.format(Locale.ROOT, "Found %d files belonging to %d classes.%s", train.size(),
                train.classNames().size(), skippedNote(train)));
        FolderImages.Loaded trainImages = FolderImages.load(train, options, cache, live);
        note(log, train, trainImages);
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
            log.println(String.format(Locale.ROOT, "Found %d files belonging to %d classes.%s (test)", testFolder.size(),
                    testFolder.classNames().size(), skippedNote(testFolder)));
            FolderImages.Loaded t = FolderImages.load(testFolder, options, cache, live);
            note(log, testFolder, t);
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
            LabelledImages[] parts = Holdout.split(trainImages.images(), train.classNames().size(), c.testSplitOrDefault(),
                    c.splitSeedOrDefault());
            trainSet = parts[0];
            testSet = parts[1];
            List<List<String>> names = Holdout.names(trainImages.images(), train.classNames().size(), c.testSplitOrDefault(),
                    c.splitSeedOrDefault(), train.relative());
            trainFiles = names.get(0);
            testFiles = names.get(1);
            test = Holdout.describe(c.testSplitOrDefault(), c.splitSeedOrDefault());
        }
        int k = train.classNames().size();
        String sha = SourceData.contentSha256(train.classNames(), trainSet, testSet);
        return new SourceData(train.classNames(), trainSet, testSet, new SourceProvenance("directory", paths,
                train.classNames(), trainSet.shape(), trainSet.classCounts(k), testSet.classCounts(k), test, options,
                skipped, sha, null, null), trainFiles, testFiles);
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
