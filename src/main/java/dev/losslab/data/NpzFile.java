package dev.losslab.data;

import dev.losslab.LosslabException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz}: a zip archive of {@code <key>.npy} members, stored ({@code np.savez}) or
 * deflated ({@code np.savez_compressed}). Writes deflated members, which {@code np.load} reads.
 */
public final class NpzFile {
    private NpzFile() {
    }

    /** Every array in {@code file}, by key (member name without ".npy"). */
    public static Map<String, NpyArray> read(Path file) {
        return read(file, null);
    }

    /** The arrays of {@code file} whose keys are in {@code keys} (null: all), leaving the others unread. */
    public static Map<String, NpyArray> read(Path file, java.util.Set<String> keys) {
        if (!Files.isRegularFile(file)) {
            throw new LosslabException(file + ": file not found");
        }
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory() || !e.getName().endsWith(".npy")) {
                    continue;
                }
                String key = e.getName().substring(0, e.getName().length() - 4);
                if (keys != null && !keys.contains(key)) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(key, NpyArray.parse(file + ":" + key, in.readAllBytes()));
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new LosslabException(file + ": not a valid .npz (zip) file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new LosslabException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return out;
    }

    /** The array {@code key} of {@code arrays}, or a one-line error listing the keys there are. */
    public static NpyArray require(Path file, Map<String, NpyArray> arrays, String key) {
        NpyArray a = arrays.get(key);
        if (a == null) {
            throw new LosslabException(file + ": no array '" + key + "' (keys: " + String.join(", ", arrays.keySet())
                    + "; Keras' mnist.npz layout has x_train, y_train, x_test, y_test)");
        }
        return a;
    }

    /** Writes {@code members} (key to encoded .npy bytes) atomically. */
    public static void write(Path file, Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(1);
            for (var m : members.entrySet()) {
                zip.putNextEntry(new ZipEntry(m.getKey() + ".npy"));
                zip.write(m.getValue());
                zip.closeEntry();
            }
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }
}
