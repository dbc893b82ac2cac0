package dev.losslab.data;

/**
 * The four files of the Fashion-MNIST release (Xiao, Rasul, Vollgraf 2017), with the SHA-256 of
 * their decompressed IDX content (as listed in shared/data/fashion-mnist-offline/README.md), so
 * that re-gzipped copies such as Debian's count as canonical.
 */
public enum FashionMnistFile {
    TRAIN_IMAGES("train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
    TRAIN_LABELS("train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
    TEST_IMAGES("t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
    TEST_LABELS("t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    /** Where the release is served (the upstream README's download links). */
    public static final String BASE_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    private final String fileName;
    private final String contentSha256;

    FashionMnistFile(String fileName, String contentSha256) {
        this.fileName = fileName;
        this.contentSha256 = contentSha256;
    }

    public String fileName() {
        return fileName;
    }

    /** The name without {@code .gz}, as Debian's package may also ship it. */
    public String rawName() {
        return fileName.substring(0, fileName.length() - 3);
    }

    public String contentSha256() {
        return contentSha256;
    }
}
