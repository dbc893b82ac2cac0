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
}
