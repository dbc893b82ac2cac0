package dev.losslab.data;

import dev.losslab.util.Hashes;
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
import java.util.List;

/**
 * The decompressed content of a set of IDX files and each one's SHA-256, kept in the decoded-data cache
 * ({@link FolderImages#cacheDirectory}) so that the next process skips gunzip and hashing (the larger
 * part of loading Fashion-MNIST, and the part every sweep worker repeated). The entry's name is a SHA-256
 * over each file's absolute path, size and modification time, as for image folders: a changed file is a
 * new entry. An entry that cannot be read is ignored and rewritten; one that cannot be written is a note.
 */
final class DecodedIdxCache {
    static final String MAGIC = "losslab-idx-content-v1";

    /** One file's decompressed bytes and their SHA-256 (hex). */
    record Content(byte[] bytes, String sha256) {
    }

    private DecodedIdxCache() {
    }

    static Path entry(List<Path> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((MAGIC + "\n").getBytes(StandardCharsets.UTF_8));
            for (Path f : files) {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                String p = f.toAbsolutePath().normalize().toString();
                md.update((p.length() + ":" + p + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return FolderImages.cacheDirectory().resolve("idx-" + HexFormat.of().formatHex(md.digest()) + ".bin");
        } catch (IOException e) {
            return null; // unreadable attributes: no cache, the load itself says what is wrong
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cached contents in {@code files}' order, or null when absent or unreadable. */
    static List<Content> read(Path entry, int count) {
        if (entry == null || !Files.isRegularFile(entry)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(entry), 1 << 20))) {
            if (!in.readUTF().equals(MAGIC) || in.readInt() != count) {
                return null;
            }
            List<Content> out = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                String sha = in.readUTF();
                int n = in.readInt();
                if (n < 0 || n > Files.size(entry)) {
                    return null;
                }
                byte[] bytes = in.readNBytes(n);
                if (bytes.length != n) {
                    return null;
                }
                out.add(new Content(bytes, sha));
            }
            if (in.read() != -1) {
                return null;
            }
            DecodedCacheEntries.touch(entry);
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Writes the entry atomically ({@link AtomicFiles#writeStream}); a failure is one note on {@code log}. */
    static void write(Path entry, List<Content> contents, PrintStream log) {
        if (entry == null) {
            return;
        }
        try {
            AtomicFiles.writeStream(entry, out -> {
                out.writeUTF(MAGIC);
                out.writeInt(contents.size());
                for (Content c : contents) {
                    out.writeUTF(c.sha256());
                    out.writeInt(c.bytes().length);
                    out.write(c.bytes());
                }
            });
        } catch (IOException e) {
            log.println("note: cannot write the decoded-data cache " + entry + " (" + e.getMessage() + "); the next run decodes again");
        }
    }

    /**
     * The SourceData content digest ({@link SourceData#contentSha256}: SHA-256 over every image and label, the hash a
     * run records) of data decoded from files whose contents hash to {@code fileSha256}: read from a memo in the cache
     * keyed by those hashes, else computed by {@code compute} and memoised (hashing 55 MB costs a fresh process 0.1-0.2
     * s, every sweep worker again). The key covers every file's content, so the same content gives the same memo.
     */
    static String sourceDigest(java.util.Map<String, String> fileSha256, java.util.function.Supplier<String> compute) {
        StringBuilder key = new StringBuilder("losslab-source-digest-v1\n");
        new java.util.TreeMap<>(fileSha256).forEach((file, sha) -> key.append(file).append(' ').append(sha).append('\n'));
        Path memo = FolderImages.cacheDirectory()
                .resolve("source-" + Hashes.sha256(key.toString().getBytes(StandardCharsets.UTF_8)) + ".sha256");
        try {
            if (Files.isRegularFile(memo)) {
                String d = Files.readString(memo, StandardCharsets.UTF_8).trim();
                if (d.matches("[0-9a-f]{64}")) {
                    DecodedCacheEntries.touch(memo);
                    return d;
                }
            }
        } catch (IOException e) {
            // unreadable: compute it again below
        }
        String digest = compute.get();
        try {
            AtomicFiles.writeString(memo, digest + "\n");
        } catch (IOException e) {
            // a cache that cannot be written only costs the next process the same hashing
        }
        return digest;
    }
}
