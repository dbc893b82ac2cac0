package dev.losslab.kerasfile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import dev.losslab.data.PixelScaling;
import dev.losslab.kerasfile.KerasModelFile;
import dev.losslab.network.Parameter;
import dev.losslab.network.ResolvedNetwork;
import dev.losslab.network.layers.ResolvedLayer;
import dev.losslab.network.layers.Weight;
import dev.losslab.util.OwnedFolder;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a network and its weights as a Keras file a Keras user loads with {@code keras.models.load_model}:
 * <ul>
 * <li>{@code .keras}: Keras 3's archive (keras/src/saving/saving_lib.py), a zip (entries stored, not deflated) of
 * {@code metadata.json}, {@code config.json} ({@link KerasModelConfig}) and {@code model.weights.h5}, whose
 * {@code layers/<key>/vars/0, 1, ...} hold each layer's variables in Keras' order, the key being the layer's class
 * in snake case numbered in the model's layer order, each {@code vars} group naming its layer ({@code name}
 * attribute), and a root {@code vars} group naming the model;</li>
 * <li>{@code .h5}: the legacy HDF5 model (keras/src/legacy/saving/legacy_h5_format.py): {@code model_config},
 * {@code keras_version} and {@code backend} attributes, {@code model_weights/<layer>/<layer>/<variable>} datasets
 * and each layer group's {@code weight_names}.</li>
 * </ul>
 * Both follow the layout Keras 3.15.1 writes (the files in ../shared/reference/keras-files/), and say so in their
 * {@code keras_version}. HDF5 is written with jhdf (pure Java), which writes strings as fixed-length UTF-8 (h5py reads
 * them as bytes; Keras decodes both) and cannot write an empty array: a layer without weights gets no
 * {@code weight_names} attribute in a {@code .h5}, which Keras reads as none ({@code load_attributes_from_hdf5_group}).
 * The file is written in a hidden folder beside its name and linked into place complete; an existing file is never
 * replaced.
 */
public final class KerasFileWriter {
    /** The Keras release whose layout these files follow. */
    public static final String KERAS_VERSION = "3.15.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KerasFileWriter() {
    }

    /** Whether {@code out} names a Keras file to write (.keras, .h5, .hdf5) rather than a SavedModel folder. */
    public static boolean isKerasFile(Path out) {
        return KerasModelFile.isModelFile(out);
    }

    /**
     * Writes {@code net} with {@code parameters} (in {@code net.weights()} order) to {@code out}, a new .keras or .h5
     * file, taking 0..255 pixels that {@code pixels} scales as the network was trained.
     */
    public static KerasModelConfig write(ResolvedNetwork net, List<Parameter> parameters, PixelScaling pixels, String name,
                                         Path out) {
        if (parameters.size() != net.weights().size()) {
            throw new IllegalArgumentException(parameters.size() + " values for " + net.weights().size() + " weights");
        }
        if (Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new LosslabException("--out " + out + " exists; losslab never replaces a file: choose a new name");
        }
        String lower = out.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean legacy = !lower.endsWith(".keras");
        KerasModelConfig config = KerasModelConfig.of(net, pixels, name, legacy);
        Map<ResolvedLayer, List<Parameter>> values = byLayer(net, parameters);
        Path tmp = null;
        try {
            tmp = OwnedFolder.createTemporarySibling(out);
            Path file = tmp.resolve(out.getFileName().toString());
            if (legacy) {
                writeLegacy(config, values, file);
            } else {
                Path weights = tmp.resolve("model.weights.h5");
                writeWeights(config, values, name, weights);
                writeArchive(config, weights, file);
            }
            OwnedFolder.publishFile(file, out);
        } catch (IOException | io.jhdf.exceptions.HdfException e) {
            throw LosslabException.writing("cannot write " + out, e);
        } finally {
            if (tmp != null) {
                OwnedFolder.deleteQuietly(tmp);
            }
        }
        return config;
    }

    private static Map<ResolvedLayer, List<Parameter>> byLayer(ResolvedNetwork net, List<Parameter> parameters) {
        Map<ResolvedLayer, List<Parameter>> out = new IdentityHashMap<>();
        int at = 0;
        for (ResolvedLayer l : net.layers()) {
            List<Parameter> mine = new ArrayList<>();
            for (Weight w : l.weights()) {
                Parameter p = parameters.get(at++);
                if (!java.util.Arrays.equals(p.shape(), w.shape())) {
                    throw new IllegalArgumentException(p.name() + " for weight " + w.name());
                }
                mine.add(p);
            }
            out.put(l, mine);
        }
        return out;
    }

    /** Keras 3's weights keys: each layer's class in snake case, numbered in the model's layer order. */
    static List<String> keys(KerasModelConfig config) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (KerasModelConfig.Entry e : config.layers()) {
            String snake = KerasModelFile.snakeCase(e.className());
            int n = seen.merge(snake, 1, Integer::sum) - 1;
            keys.add(n == 0 ? snake : snake + "_" + n);
        }
        return keys;
    }

    private static void writeWeights(KerasModelConfig config, Map<ResolvedLayer, List<Parameter>> values, String name,
                                     Path file) throws IOException {
        List<String> keys = keys(config);
        Hdf5Output.write(file, h5 -> {
            h5.putGroup("vars").putAttribute("name", name);
            WritableGroup layers = h5.putGroup("layers");
            for (int i : datasetsLast(config, values)) {
                KerasModelConfig.Entry e = config.layers().get(i);
                WritableGroup vars = layers.putGroup(keys.get(i)).putGroup("vars");
                vars.putAttribute("name", e.name());
                List<Parameter> mine = weightsOf(e, values);
                for (int v = 0; v < mine.size(); v++) {
                    vars.putDataset(String.valueOf(v), data(mine.get(v), roleOf(e, v)));
                }
            }
        });
    }

    private static List<Parameter> weightsOf(KerasModelConfig.Entry e, Map<ResolvedLayer, List<Parameter>> values) {
        return e.source() == null ? List.of() : values.get(e.source());
    }

    /** The layers' positions, the weightless ones first (the order of writing; HDF5 lists members by name). */
    private static List<Integer> datasetsLast(KerasModelConfig config, Map<ResolvedLayer, List<Parameter>> values) {
        List<Integer> out = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < config.layers().size(); i++) {
                if (weightsOf(config.layers().get(i), values).isEmpty() == (pass == 0)) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    private static String roleOf(KerasModelConfig.Entry e, int v) {
        return e.source().weights().get(v).role();
    }

    private static void writeLegacy(KerasModelConfig config, Map<ResolvedLayer, List<Parameter>> values, Path file)
            throws IOException {
        String json = JSON.writeValueAsString(config.json());
        Hdf5Output.write(file, h5 -> {
            h5.putAttribute("backend", "tensorflow");
            h5.putAttribute("keras_version", KERAS_VERSION);
            h5.putAttribute("model_config", json);
            WritableGroup weights = h5.putGroup("model_weights");
            weights.putAttribute("layer_names", config.layers().stream().map(KerasModelConfig.Entry::name)
                    .toArray(String[]::new));
            weights.putAttribute("backend", "tensorflow");
            weights.putAttribute("keras_version", KERAS_VERSION);
            weights.putGroup("top_level_model_weights");
            for (int i : datasetsLast(config, values)) {
                KerasModelConfig.Entry e = config.layers().get(i);
                WritableGroup g = weights.putGroup(e.name());
                List<Parameter> mine = weightsOf(e, values);
                if (mine.isEmpty()) {
                    continue;
                }
                List<String> names = new ArrayList<>();
                for (int v = 0; v < mine.size(); v++) {
                    names.add(e.name() + "/" + roleOf(e, v));
                }
                g.putAttribute("weight_names", names.toArray(String[]::new));
                WritableGroup inner = g.putGroup(e.name());
                for (int v = 0; v < mine.size(); v++) {
                    inner.putDataset(roleOf(e, v), data(mine.get(v), roleOf(e, v)));
                }
            }
        });
    }

    /** A weight's values as the nested Java array jhdf writes with its shape; Normalization's count as an int64 scalar. */
    static Object data(Parameter p, String role) {
        long[] shape = p.shape();
        float[] v = p.values();
        if (shape.length == 0) {
            return role.equals("count") ? (Object) Long.valueOf(Math.round((double) v[0])) : (Object) Float.valueOf(v[0]);
        }
        if (shape.length == 1) {
            return v.clone();
        }
        int[] dims = new int[shape.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = Math.toIntExact(shape[i]);
        }
        Object out = Array.newInstance(float.class, dims);
        fill(out, v, 0, dims, 0);
        return out;
    }

    private static int fill(Object array, float[] v, int at, int[] dims, int depth) {
        if (depth == dims.length - 1) {
            System.arraycopy(v, at, array, 0, dims[depth]);
            return at + dims[depth];
        }
        for (int i = 0; i < dims[depth]; i++) {
            at = fill(Array.get(array, i), v, at, dims, depth + 1);
        }
        return at;
    }

    private static void writeArchive(KerasModelConfig config, Path weights, Path file) throws IOException {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("keras_version", KERAS_VERSION);
        metadata.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            stored(zip, "metadata.json", JSON.writeValueAsBytes(metadata));
            stored(zip, "config.json", JSON.writeValueAsBytes(config.json()));
            stored(zip, "model.weights.h5", Files.readAllBytes(weights));
        }
    }

    /** A zip entry stored without compression, as Keras' zipfile writes them. */
    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }
}
