package dev.losslab.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Where a run's images came from, as {@code run.json} records it: the source kind and paths, the
 * class names and per-class counts of the source's training and test sets (before any subset), the
 * image shape, how pictures were decoded, how the test set was formed, files skipped, and a SHA-256
 * over the decoded content ({@link SourceData#contentSha256}).
 *
 * @param fileSha256 per-file SHA-256 of decompressed content where the source checks files (Fashion-MNIST)
 * @param canonical  whether those files are the canonical release (Fashion-MNIST), else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceProvenance(String kind, List<String> paths, List<String> classNames, int[] imageShape,
                               int[] trainCounts, int[] testCounts, String test, DecodeOptions decoding,
                               Integer skippedFiles, String contentSha256, Boolean canonical,
                               Map<String, String> fileSha256) {
}
