package dev.losslab.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * The Fashion-MNIST training and test sets as read from disk, with where they came from and
 * whether their decompressed content matched the canonical release.
 *
 * @param contentSha256 SHA-256 of each file's decompressed content, by canonical file name
 */
public record FashionMnist(IdxImages trainImages, byte[] trainLabels, IdxImages testImages, byte[] testLabels,
                           Path directory, boolean canonical, Map<String, String> contentSha256) {
    /** The class names by id, as the dataset's README lists them (Xiao et al. 2017). */
    public static final java.util.List<String> CLASS_NAMES = java.util.List.of("T-shirt/top", "Trouser", "Pullover",
            "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The same images as any source hands them over (pixel arrays shared, not copied). */
    public SourceData toSourceData() {
        LabelledImages train = labelled(trainImages, trainLabels);
        LabelledImages test = labelled(testImages, testLabels);
        int k = CLASS_NAMES.size();
        java.util.List<String> paths = new java.util.ArrayList<>();
        for (String f : contentSha256.keySet()) {
            paths.add(directory.resolve(f).toAbsolutePath().normalize().toString());
        }
        return new SourceData(CLASS_NAMES, train, test, new SourceProvenance("fashion-mnist", paths, CLASS_NAMES,
                train.shape(), train.classCounts(k), test.classCounts(k), "t10k files", null, null,
                DecodedIdxCache.sourceDigest(contentSha256, () -> SourceData.contentSha256(CLASS_NAMES, train, test)),
                canonical, contentSha256));
    }

    private static LabelledImages labelled(IdxImages images, byte[] labels) {
        int[] l = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            l[i] = labels[i] & 0xff;
        }
        return new LabelledImages(images.pixels(), l, images.rows(), images.cols(), 1);
    }
}
