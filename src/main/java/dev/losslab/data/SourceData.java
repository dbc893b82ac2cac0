package dev.losslab.data;

import dev.losslab.LosslabException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * What every data source produces: the training and test images ({@code N x H x W x C} uint8,
 * labels = positions in {@code classNames}) and where they came from; folders also name each image's
 * file (relative to its folder), row by row, else the file lists are null.
 */
public record SourceData(List<String> classNames, LabelledImages train, LabelledImages test, SourceProvenance provenance,
                         List<String> trainFiles, List<String> testFiles, LabelledImages validation) {

    /** Data without per-image file names (array sources). */
    public SourceData(List<String> classNames, LabelledImages train, LabelledImages test, SourceProvenance provenance) {
        this(classNames, train, test, provenance, null, null, null);
    }

    /** Data without an explicit validation set (the run holds out a stratified share of the training set). */
    public SourceData(List<String> classNames, LabelledImages train, LabelledImages test, SourceProvenance provenance,
                      List<String> trainFiles, List<String> testFiles) {
        this(classNames, train, test, provenance, trainFiles, testFiles, null);
    }

    /**
     * The same data with an explicit validation set (a folder's {@code validationDirectory}, an npz's
     * {@code x_val}/{@code y_val}), which replaces the held-out share; it must have the training images' shape.
     */
    public SourceData withValidation(LabelledImages v, String where) {
        if (v.height() != train.height() || v.width() != train.width() || v.channels() != train.channels()) {
            throw new LosslabException(where + ": validation images are " + v.height() + "x" + v.width() + "x"
                    + v.channels() + " but training images are " + train.height() + "x" + train.width() + "x"
                    + train.channels());
        }
        for (int l : v.labels()) {
            if (l < 0 || l >= classNames.size()) {
                throw new LosslabException(where + ": validation label " + l + " is not one of the "
                        + classNames.size() + " classes");
            }
        }
        return new SourceData(classNames, train, test, provenance, trainFiles, testFiles, v);
    }

    public int numClasses() {
        return classNames.size();
    }

    /**
     * SHA-256 over the decoded content, so a run records exactly what it saw whatever the files'
     * encoding: for the training then the test set, its N, H, W, C and labels as big-endian int32,
     * then its pixel bytes; then the class names, each UTF-8 followed by a newline.
     */
    public static String contentSha256(List<String> classNames, LabelledImages train, LabelledImages test) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (LabelledImages set : List.of(train, test)) {
                ByteBuffer b = ByteBuffer.allocate(16 + 4 * set.size());
                b.putInt(set.size()).putInt(set.height()).putInt(set.width()).putInt(set.channels());
                for (int l : set.labels()) {
                    b.putInt(l);
                }
                md.update(b.array());
                md.update(set.pixels());
            }
            for (String c : classNames) {
                md.update((c + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
