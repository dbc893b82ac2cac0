package dev.losslab.data;

import dev.losslab.LosslabException;
import dev.losslab.util.Hashes;
import dev.losslab.util.ProgressBar;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds, downloads and verifies the Fashion-MNIST files.
 *
 * <p>Where the data live, first match wins: an explicit directory ({@code --data-dir}), the
 * environment variable {@code LOSSLAB_DATA}, {@code ~/.cache/losslab/fashion-mnist}, then Debian's
 * {@code dataset-fashion-mnist} package directory when it holds the files. Files missing from the
 * chosen directory are downloaded from the canonical URLs, verified by the SHA-256 of their
 * decompressed content, and renamed into place only when they match. Local files whose content is
 * not canonical are accepted with a one-line warning and the result says so. The decompressed content
 * and its hashes are kept in the decoded-data cache ({@link DecodedIdxCache}) for the next process.
 */
public final class FashionMnistSource {
    public static final String ENV = "LOSSLAB_DATA";
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";

    private final PrintStream log;
    private final String baseUrl;

    public FashionMnistSource(PrintStream log) {
        this(log, FashionMnistFile.BASE_URL);
    }

    /** With another download location (a mirror, or a local server in tests). */
    public FashionMnistSource(PrintStream log, String baseUrl) {
        this.log = log;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    }

    /** The directory the data are read from, by the rules in the class comment. */
    public static Path resolveDirectory(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "losslab", "fashion-mnist");
        if (!hasAllFiles(cache) && hasAllFiles(DEBIAN_DIR)) {
            return DEBIAN_DIR;
        }
        return cache;
    }

    /** True when every one of the four files is present, gzip'd or raw. */
    public static boolean hasAllFiles(Path dir) {
        for (FashionMnistFile f : FashionMnistFile.values()) {
            if (find(dir, f) == null) {
                return false;
            }
        }
        return true;
    }

    private static Path find(Path dir, FashionMnistFile f) {
        for (String name : List.of(f.fileName(), f.rawName())) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Whether the four files are in {@code explicitDir} (or the default places) and their decoded content is in the
     * decoded-data cache: a load then only reads that cache (what a sweep's parent checks before its workers load).
     */
    public static boolean isCached(Path explicitDir) {
        if (explicitDir != null && !Files.isDirectory(explicitDir)) {
            return false;
        }
        Path dir = resolveDirectory(explicitDir);
        List<Path> files = new java.util.ArrayList<>();
        for (FashionMnistFile f : FashionMnistFile.values()) {
            Path p = find(dir, f);
            if (p == null) {
                return false;
            }
            files.add(p);
        }
        Path entry = DecodedIdxCache.entry(files);
        return entry != null && Files.isRegularFile(entry);
    }

    /** Loads the four files from {@code explicitDir} (or the default places), downloading what is missing. */
    public FashionMnist load(Path explicitDir) {
        if (explicitDir != null && Files.exists(explicitDir) && !Files.isDirectory(explicitDir)) {
            throw new LosslabException("--data-dir " + explicitDir + " is not a folder; give the folder holding the four "
                    + "Fashion-MNIST files");
        }
        Path dir = resolveDirectory(explicitDir);
        boolean existed = Files.isDirectory(dir);
        Map<FashionMnistFile, Path> files = new EnumMap<>(FashionMnistFile.class);
        for (FashionMnistFile f : FashionMnistFile.values()) {
            Path p = find(dir, f);
            if (p == null) {
                try {
                    p = download(dir, f);
                } catch (LosslabException e) {
                    if (!existed) {
                        try {
                            Files.deleteIfExists(dir); // the empty folder the download made, nothing else
                        } catch (IOException ignored) {
                            // not empty: a file landed; leave it
                        }
                        throw new LosslabException("the data folder " + dir + " does not exist and the files could not be "
                                + "downloaded into it (" + e.getMessage() + ")");
                    }
                    throw e;
                }
            }
            files.put(f, p);
        }
        Map<String, String> sha = new LinkedHashMap<>();
        boolean canonical = true;
        Map<FashionMnistFile, byte[]> content = new EnumMap<>(FashionMnistFile.class);
        java.util.List<String> warnings = new java.util.ArrayList<>();
        Path entry = DecodedIdxCache.entry(List.copyOf(files.values()));
        List<DecodedIdxCache.Content> cached = DecodedIdxCache.read(entry, files.size());
        List<DecodedIdxCache.Content> decoded = new java.util.ArrayList<>();
        int at = 0;
        for (var e : files.entrySet()) {
            DecodedIdxCache.Content c = cached != null ? cached.get(at++)
                    : new DecodedIdxCache.Content(IdxFile.content(e.getValue()), null);
            byte[] bytes = c.bytes();
            String digest = c.sha256() != null ? c.sha256() : Hashes.sha256(bytes);
            decoded.add(new DecodedIdxCache.Content(bytes, digest));
            sha.put(e.getKey().fileName(), digest);
            if (!digest.equals(e.getKey().contentSha256())) {
                canonical = false;
                warnings.add("warning: " + e.getValue() + " is not the canonical Fashion-MNIST content (SHA-256 "
                        + digest.substring(0, 12) + "...); results will record non-canonical data");
            }
            content.put(e.getKey(), bytes);
        }
        Path trainImagesPath = files.get(FashionMnistFile.TRAIN_IMAGES);
        Path trainLabelsPath = files.get(FashionMnistFile.TRAIN_LABELS);
        Path testImagesPath = files.get(FashionMnistFile.TEST_IMAGES);
        Path testLabelsPath = files.get(FashionMnistFile.TEST_LABELS);
        IdxImages trainImages = IdxFile.parseImages(trainImagesPath, content.get(FashionMnistFile.TRAIN_IMAGES));
        byte[] trainLabels = IdxFile.parseLabels(trainLabelsPath, content.get(FashionMnistFile.TRAIN_LABELS));
        IdxImages testImages = IdxFile.parseImages(testImagesPath, content.get(FashionMnistFile.TEST_IMAGES));
        byte[] testLabels = IdxFile.parseLabels(testLabelsPath, content.get(FashionMnistFile.TEST_LABELS));
        IdxFile.checkPair(trainImagesPath, trainImages, trainLabelsPath, trainLabels);
        IdxFile.checkPair(testImagesPath, testImages, testLabelsPath, testLabels);
        checkShape(trainImagesPath, trainImages);
        checkShape(testImagesPath, testImages);
        checkLabelRange(trainLabelsPath, trainLabels);
        checkLabelRange(testLabelsPath, testLabels);
        // only files that parse are worth a hash warning: a broken file is one error line, nothing before it
        warnings.forEach(log::println);
        if (cached == null) {
            DecodedIdxCache.write(entry, decoded, log);
        }
        return new FashionMnist(trainImages, trainLabels, testImages, testLabels, dir, canonical, sha);
    }

    private static void checkShape(Path file, IdxImages images) {
        if (images.rows() != 28 || images.cols() != 28) {
            throw new IdxFormatException(file, "images are " + images.rows() + "x" + images.cols() + ", expected 28x28");
        }
    }

    private static void checkLabelRange(Path file, byte[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xff) > 9) {
                throw new IdxFormatException(file, "label " + (labels[i] & 0xff) + " at index " + i + " is outside 0..9");
            }
        }
    }

    private Path download(Path dir, FashionMnistFile f) {
        Path target = dir.resolve(f.fileName());
        String url = baseUrl + f.fileName();
        try {
            Files.createDirectories(dir);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("HTTP " + response.statusCode());
            }
            long length = response.headers().firstValueAsLong("content-length").orElse(-1);
            Path tmp = Files.createTempFile(dir, "." + f.fileName() + ".", ".part");
            try {
                try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(tmp);
                     ProgressBar bar = new ProgressBar(log, "download " + f.fileName(), Math.max(length, 0), "B")) {
                    byte[] buffer = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        out.write(buffer, 0, n);
                        bar.step(n);
                    }
                }
                String digest = Hashes.sha256(IdxFile.content(tmp));
                if (!digest.equals(f.contentSha256())) {
                    throw new IOException("downloaded content has SHA-256 " + digest + ", expected " + f.contentSha256());
                }
                AtomicFiles.move(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException | IdxFormatException e) {
            throw new LosslabException("cannot download " + url + " (" + describe(e) + "); put the four files "
                    + "(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
                    + "t10k-labels-idx1-ubyte.gz) in " + dir + ", or pass --data-dir / set " + ENV
                    + ", or install Debian's package " + DEBIAN_PACKAGE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LosslabException("download of " + url + " interrupted");
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
