package dev.losslab.data;

import dev.losslab.LosslabException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The entries of the decoded-data cache ({@link FolderImages#cacheDirectory}) that losslab wrote, and their removal
 * on request. A file counts as losslab's only when both its name and its content say so: a decoded image folder
 * ({@code <sha256>.bin} opening with {@link FolderImages}' header), decompressed IDX files ({@code idx-<sha256>.bin}
 * opening with {@link DecodedIdxCache}'s header), a data-hash memo ({@code source-<sha256>.sha256} holding one
 * SHA-256), or an unfinished write of one of those ({@code .<entry name>.<digits>.tmp}, what
 * {@code AtomicFiles} leaves when a process is killed mid-write). Anything else in the folder (a user's file, a
 * sub-folder, a symbolic link, a file whose name matches but whose content does not) is never listed as an entry and
 * never removed.
 */
public final class DecodedCacheEntries {
    /** An unfinished write younger than this may still be in progress in another process: it is left alone. */
    public static final Duration UNFINISHED_GRACE = Duration.ofHours(1);

    /** What an entry holds. */
    public enum Kind {
        FOLDER_IMAGES("decoded image folder"),
        IDX_FILES("decompressed IDX files"),
        DATA_HASH("data-hash memo"),
        UNFINISHED("unfinished write");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One entry: its file, kind, size and when it was last written or read from the cache. */
    public record Entry(Path path, Kind kind, long bytes, Instant lastUsed) {
    }

    /** The folder's contents: losslab's entries and how many other things were found (and left alone). */
    public record Listing(Path folder, List<Entry> entries, int others) {
        public long bytes() {
            return entries.stream().mapToLong(Entry::bytes).sum();
        }

        /** The entries no run has read or written since {@code cutoff}, the others count unchanged. */
        public Listing lastUsedBefore(Instant cutoff) {
            return new Listing(folder, entries.stream().filter(e -> e.lastUsed().isBefore(cutoff)).toList(), others);
        }
    }

    private static final String HEX = "[0-9a-f]{64}";
    private static final Pattern FOLDER = Pattern.compile(HEX + "\\.bin");
    private static final Pattern IDX = Pattern.compile("idx-" + HEX + "\\.bin");
    private static final Pattern HASH = Pattern.compile("source-" + HEX + "\\.sha256");
    private static final Pattern TMP = Pattern.compile("\\.((?:idx-)?" + HEX + "\\.bin|source-" + HEX
            + "\\.sha256)\\.[0-9]+\\.tmp");

    private DecodedCacheEntries() {
    }

    /** What {@code folder} holds; a folder that does not exist is an empty listing. */
    public static Listing list(Path folder) {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return new Listing(folder, List.of(), 0);
        }
        if (!Files.isDirectory(folder)) {
            throw new LosslabException("the cache " + folder + " is not a folder");
        }
        List<Entry> entries = new ArrayList<>();
        int others = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path f : files) {
                Entry e = entry(f);
                if (e == null) {
                    others++;
                } else {
                    entries.add(e);
                }
            }
        } catch (IOException e) {
            throw new LosslabException("cannot read the cache " + folder + ": " + e.getMessage());
        }
        entries.sort(Comparator.comparing(Entry::lastUsed).thenComparing(e -> e.path().getFileName().toString()));
        return new Listing(folder, List.copyOf(entries), others);
    }

    /** The entry {@code f} is, or null when it is not one losslab wrote. */
    static Entry entry(Path f) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null; // gone meanwhile, or unreadable: not counted as ours
        }
        if (!a.isRegularFile()) {
            return null;
        }
        String name = f.getFileName().toString();
        Kind kind = null;
        if (FOLDER.matcher(name).matches() && opensWith(f, FolderImages.MAGIC)) {
            kind = Kind.FOLDER_IMAGES;
        } else if (IDX.matcher(name).matches() && opensWith(f, DecodedIdxCache.MAGIC)) {
            kind = Kind.IDX_FILES;
        } else if (HASH.matcher(name).matches() && holdsOneHash(f, a.size())) {
            kind = Kind.DATA_HASH;
        } else if (TMP.matcher(name).matches()) {
            kind = Kind.UNFINISHED;
        }
        return kind == null ? null : new Entry(f, kind, a.size(), a.lastModifiedTime().toInstant());
    }

    /** Whether the file opens with {@code magic} as DataOutputStream.writeUTF writes it. */
    private static boolean opensWith(Path f, String magic) {
        try (InputStream in = Files.newInputStream(f)) {
            return new DataInputStream(in).readUTF().equals(magic);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean holdsOneHash(Path f, long size) {
        try {
            return size <= 66 && Files.readString(f, StandardCharsets.UTF_8).trim().matches(HEX);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Removes the listed entries, except unfinished writes younger than {@link #UNFINISHED_GRACE} at {@code now};
     * each is checked again just before it goes. Returns the removed.
     */
    public static List<Entry> remove(Listing listing, Instant now) {
        List<Entry> removed = new ArrayList<>();
        for (Entry e : listing.entries()) {
            if (e.kind() == Kind.UNFINISHED && e.lastUsed().isAfter(now.minus(UNFINISHED_GRACE))) {
                continue;
            }
            try {
                Entry again = entry(e.path());
                if (again != null && again.kind() == e.kind() && Files.deleteIfExists(e.path())) {
                    removed.add(e);
                }
            } catch (IOException ex) {
                throw new LosslabException("cannot remove " + e.path() + ": " + ex.getMessage()
                        + " (" + removed.size() + " entries removed before it)");
            }
        }
        return removed;
    }

    /** Marks an entry as just used, so that "older than" means "not used since"; a read-only cache is left as is. */
    static void touch(Path entry) {
        try {
            Files.setLastModifiedTime(entry, FileTime.from(Instant.now()));
        } catch (IOException | RuntimeException e) {
            // a cache on a read-only folder still serves; it only keeps its write times
        }
    }
}
