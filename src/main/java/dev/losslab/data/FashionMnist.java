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
}
