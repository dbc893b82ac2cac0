package dev.losslab.data;

import dev.losslab.LosslabException;
import dev.losslab.util.ProgressBar;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Decodes an {@link ImageFolder} into one {@code N x H x W x C} byte array, on all cores, and keeps
 * the result in a cache so the next run over the same files starts at once.
 *
 * <p>The cache key is a SHA-256 over the decoding options, the class names and, per file, its path
 * relative to the folder, its label, its size and its modification time: any changed, added,
 * removed or renamed file (or another option) gives a new key, without reading the files. Entries
 * live in {@code $LOSSLAB_CACHE} (else {@code ~/.cache/losslab/decoded}), one file per key, written
 * atomically; an unreadable entry is ignored and rewritten. The decoded array is allocated once at
 * its final size (no per-image copies survive a decode), so a load peaks near the array itself.
 */
public final class FolderImages {
    public static final String CACHE_ENV = "LOSSLAB_CACHE";
    public static final String CACHE_PROPERTY = "losslab.cache";
    static final String MAGIC = "losslab-decoded/1";

    private FolderImages() {
    }

    /** What a load gave: the images and whether they came from the cache. */
    public record Loaded(LabelledImages images, boolean fromCache, double seconds) {
    }

    /** The cache folder: system property {@code losslab.cache}, else {@code $LOSSLAB_CACHE}, else the user's cache. */
    public static Path cacheDirectory() {
        String p = System.getProperty(CACHE_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(CACHE_ENV);
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("losslab").resolve("decoded");
    }

    /**
     * The folder's images decoded with {@code options}; {@code cache} false skips the cache.
     * {@code log} gets a progress bar on long first loads.
     */
    public static Loaded load(ImageFolder folder, DecodeOptions options, boolean cache, PrintStream log) {
        long start = System.nanoTime();
        String key = cache ? key(folder, options) : null;
        Path entry = key == null ? null : cacheDirectory().resolve(key + ".bin");
        if (entry != null && Files.isRegularFile(entry)) {
            LabelledImages hit = readEntry(entry, folder);
            if (hit != null) {
                DecodedCacheEntries.touch(entry);
                return new Loaded(hit, true, (System.nanoTime() - start) / 1e9);
            }
        }
        LabelledImages images = decode(folder, options, log);
        if (entry != null) {
            writeEntry(entry, images, log);
        }
        return new Loaded(images, false, (System.nanoTime() - start) / 1e9);
    }

    static String key(ImageFolder folder, DecodeOptions options) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder(MAGIC).append('\n').append(options.describe()).append('\n');
            for (String c : folder.classNames()) {
                sb.append(c.length()).append(':').append(c).append('\n');
            }
            md.update(sb.toString().getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < folder.size(); i++) {
                BasicFileAttributes a = Files.readAttributes(folder.files().get(i), BasicFileAttributes.class);
                String rel = folder.relative().get(i);
                md.update((rel.length() + ":" + rel + "|" + folder.labels()[i] + "|" + a.size() + "|"
                        + a.lastModifiedTime().toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new LosslabException("cannot read " + e.getMessage());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes every file, on all cores. */
    static LabelledImages decode(ImageFolder folder, DecodeOptions options, PrintStream log) {
        int n = folder.size();
        int c = options.channels();
        try (ImageDecoder decoder = new ImageDecoder(options)) {
            ImageDecoder.Decoded first = decodeFile(decoder, folder.files().get(0));
            int h = first.height();
            int w = first.width();
            int per = h * w * c;
            if ((long) n * per > Integer.MAX_VALUE - 64) {
                throw new LosslabException(folder.root() + ": " + n + " images of " + h + "x" + w + "x" + c
                        + " exceed 2 GiB; choose a smaller imageSize");
            }
            byte[] pixels = new byte[n * per];
            System.arraycopy(first.pixels(), 0, pixels, 0, per);
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            AtomicInteger done = new AtomicInteger(1);
            ProgressBar bar = n >= 2000 ? new ProgressBar(log, "decode " + folder.root().getFileName(), n, "images") : null;
            if (bar != null) {
                bar.step(1);
            }
            ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
            try {
                int chunks = (n - 1 + ImageDecoder.BATCH - 1) / ImageDecoder.BATCH;
                pool.submit(() -> IntStream.range(0, chunks).parallel().forEach(chunk -> {
                    if (failure.get() != null) {
                        return;
                    }
                    try {
                        int from = 1 + chunk * ImageDecoder.BATCH;
                        int to = Math.min(n, from + ImageDecoder.BATCH);
                        java.util.List<byte[]> contents = new java.util.ArrayList<>(to - from);
                        java.util.List<String> names = new java.util.ArrayList<>(to - from);
                        for (int i = from; i < to; i++) {
                            contents.add(readFile(folder.files().get(i)));
                            names.add(folder.files().get(i).toString());
                        }
                        java.util.List<ImageDecoder.Decoded> decoded = decoder.decodeAll(contents, names);
                        for (int i = from; i < to; i++) {
                            ImageDecoder.Decoded d = decoded.get(i - from);
                            if (d.height() != h || d.width() != w) {
                                throw new LosslabException("images differ in size: " + folder.files().get(0) + " is " + h + "x"
                                        + w + ", " + folder.files().get(i) + " is " + d.height() + "x" + d.width()
                                        + "; set \"imageSize\": [H, W] to resize them");
                            }
                            System.arraycopy(d.pixels(), 0, pixels, i * per, per);
                        }
                        int k = done.addAndGet(to - from);
                        if (bar != null) {
                            synchronized (bar) {
                                bar.step(to - from);
                            }
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                })).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LosslabException("decoding interrupted");
            } catch (ExecutionException e) {
                throw new LosslabException("decoding failed: " + e.getCause());
            } finally {
                pool.shutdown();
                if (bar != null) {
                    bar.close();
                }
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            return new LabelledImages(pixels, folder.labels().clone(), h, w, c);
        }
    }

    private static ImageDecoder.Decoded decodeFile(ImageDecoder decoder, Path f) {
        return decoder.decode(readFile(f), f.toString());
    }

    private static byte[] readFile(Path f) {
        byte[] content;
        try {
            content = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new LosslabException(f + ": cannot read (" + e.getMessage() + ")");
        }
        if (content.length == 0) {
            throw new LosslabException(f + ": cannot decode (empty file)");
        }
        return content;
    }

    private static LabelledImages readEntry(Path entry, ImageFolder folder) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(entry), 1 << 20))) {
            if (!in.readUTF().equals(MAGIC)) {
                return null;
            }
            int n = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            int c = in.readInt();
            if (n != folder.size() || h < 1 || w < 1 || c < 1 || (long) n * h * w * c > Integer.MAX_VALUE) {
                return null;
            }
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readInt();
            }
            if (!java.util.Arrays.equals(labels, folder.labels())) {
                return null;
            }
            byte[] pixels = new byte[n * h * w * c];
            in.readFully(pixels);
            return new LabelledImages(pixels, labels, h, w, c);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void writeEntry(Path entry, LabelledImages images, PrintStream log) {
        try {
            AtomicFiles.writeStream(entry, out -> {
                out.writeUTF(MAGIC);
                out.writeInt(images.size());
                out.writeInt(images.height());
                out.writeInt(images.width());
                out.writeInt(images.channels());
                for (int l : images.labels()) {
                    out.writeInt(l);
                }
                out.write(images.pixels());
            });
        } catch (IOException e) {
            log.println("note: cannot write the decoded-image cache " + entry + " (" + e.getMessage() + "); the next run decodes again");
        }
    }
}
