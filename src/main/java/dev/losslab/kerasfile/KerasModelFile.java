package dev.losslab.kerasfile;

import dev.losslab.network.KerasOrigin;
import dev.losslab.network.LayerNormaliser;
import dev.losslab.network.NetworkSpec;
import dev.losslab.network.Parameter;
import dev.losslab.network.ResolvedNetwork;
import dev.losslab.network.Topology;

import dev.losslab.network.layers.ResolvedLayer;
import dev.losslab.network.layers.LayerSpec;
import dev.losslab.network.layers.Weight;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Keras 3 {@code .keras} file (a zip of {@code config.json}, {@code metadata.json} and {@code model.weights.h5}):
 * the network from its config, and its weights read with jhdf (pure Java HDF5). Keras 3 keys a layer's variables
 * not by the config's layer name but by its class in snake case, numbered in the model's layer order
 * ({@code layers/conv2d/vars/0}, {@code layers/conv2d_1/vars/0}, {@code layers/re_lu}, ...; keras/src/saving/
 * saving_lib.py), so each config layer gets the key its class and position give, and each of its variables is
 * matched in Keras' order (a convolution's kernel then bias; BatchNormalization's gamma, beta, moving mean,
 * moving variance) and shape-checked. The weights file is copied out of the zip to a temporary file and read
 * from there, one dataset at a time.
 *
 * @param variables each config layer's variables by layer name, in Keras' order, with their shapes
 */
public record KerasModelFile(Path file, NetworkSpec network, Map<String, List<Variable>> variables) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One saved variable: its HDF5 path, shape and values (row-major, as TF lays them out). */
    public record Variable(String path, int[] shape, float[] values) {
    }

    /** Whether {@code file} names a Keras model file losslab reads with its weights: .keras, .h5 or .hdf5. */
    public static boolean isModelFile(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".keras") || isHdf5(file);
    }

    private static boolean isHdf5(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".h5") || n.endsWith(".hdf5");
    }

    /** The network of a Keras file from its config alone (the weights are not read): .keras, legacy .h5, or JSON. */
    public static NetworkSpec network(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LosslabException(file + ": no such file");
        }
        if (isHdf5(file)) {
            try (HdfFile hdf = openHdf(file)) {
                return legacyNetwork(file, hdf);
            }
        }
        if (!file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".keras")) {
            return KerasJson.read(file);
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry config = zip.getEntry("config.json");
            if (config == null) {
                throw new LosslabException(file + ": not a Keras 3 .keras file (no config.json in the archive)");
            }
            if (zip.getEntry("model.weights.h5") == null) {
                throw new LosslabException(file + ": the archive has no model.weights.h5 (saved without weights?)");
            }
            try (InputStream in = zip.getInputStream(config)) {
                return KerasJson.parse(JSON.readTree(in));
            }
        } catch (java.util.zip.ZipException e) {
            throw new LosslabException(file + ": not a .keras archive (" + LosslabException.firstLine(e.getMessage()) + ")");
        } catch (IOException e) {
            throw new LosslabException(file + ": cannot read (" + LosslabException.firstLine(e.getMessage()) + ")");
        }
    }

    /** A .keras archive or a legacy .h5 model file, network and weights. */
    public static KerasModelFile read(Path file) {
        return read(file, null);
    }

    /**
     * A network and its weights: {@code file} a .keras archive, a legacy .h5 model or a Keras JSON; {@code weights}
     * (null: the file's own) a weights file, Keras 3's {@code .weights.h5} or a legacy {@code save_weights} .h5.
     */
    public static KerasModelFile read(Path file, Path weights) {
        if (!Files.isRegularFile(file)) {
            throw new LosslabException(file + ": no such file");
        }
        if (weights != null && !Files.isRegularFile(weights)) {
            throw new LosslabException(weights + ": no such file");
        }
        NetworkSpec network;
        if (isHdf5(file)) {
            try (HdfFile hdf = openHdf(file)) {
                network = legacyNetwork(file, hdf);
                if (weights == null) {
                    return new KerasModelFile(file, network, readVariables(file, network, hdf));
                }
            }
        } else if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".keras")) {
            if (weights == null) {
                return readArchive(file, true);
            }
            network = network(file);
        } else {
            network = KerasJson.read(file);
            if (weights == null) {
                throw new LosslabException(file + ": a Keras JSON holds no weights; give model.weights a weights .h5 file");
            }
        }
        try (HdfFile hdf = openHdf(weights)) {
            return new KerasModelFile(file, network, readVariables(weights, network, hdf));
        }
    }

    /**
     * Checks that the file's weights fit {@code net} (every variable's shape, named in a one-line error) reading
     * only the datasets' shapes, not their values: what a run checks before any image is decoded. {@code net}'s
     * layers the file does not have (a new head) are not checked.
     */
    public static void checkShapes(Path file, Path weights, ResolvedNetwork net) {
        KerasModelFile shapes;
        if (weights != null || isHdf5(file)) {
            NetworkSpec network = network(file);
            try (HdfFile hdf = openHdf(weights != null ? weights : file)) {
                shapes = new KerasModelFile(file, network, readVariables(weights != null ? weights : file, network, hdf, false));
            }
        } else {
            shapes = readArchive(file, false);
        }
        List<Parameter> fresh = net.weights().stream().map(w -> new Parameter(w.name(), w.shape(), new float[(int) w.size()]))
                .toList();
        shapes.parameters(net, fresh, false);
    }

    /** A .keras archive: its network, and its variables (with their values, or their shapes only). */
    private static KerasModelFile readArchive(Path file, boolean values) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry config = zip.getEntry("config.json");
            ZipEntry weights = zip.getEntry("model.weights.h5");
            if (config == null) {
                throw new LosslabException(file + ": not a Keras 3 .keras file (no config.json in the archive)");
            }
            if (weights == null) {
                throw new LosslabException(file + ": the archive has no model.weights.h5 (saved without weights?)");
            }
            JsonNode root;
            try (InputStream in = zip.getInputStream(config)) {
                root = JSON.readTree(in);
            }
            NetworkSpec network = KerasJson.parse(root);
            // read in memory, never copied to a temporary file: a process killed while it loads leaves nothing behind
            if (weights.getSize() > Integer.MAX_VALUE - 8) {
                throw new LosslabException(file + ": model.weights.h5 is larger than 2 GiB; losslab reads weights up to 2 GiB");
            }
            byte[] bytes;
            try (InputStream in = zip.getInputStream(weights)) {
                bytes = in.readAllBytes();
            }
            try (HdfFile hdf = openHdf(file, bytes)) {
                return new KerasModelFile(file, network, readVariables(file, network, hdf, values));
            }
        } catch (java.util.zip.ZipException e) {
            throw new LosslabException(file + ": not a .keras archive (" + LosslabException.firstLine(e.getMessage()) + ")");
        } catch (IOException e) {
            throw new LosslabException(file + ": cannot read (" + LosslabException.firstLine(e.getMessage()) + ")");
        }
    }

    private static HdfFile openHdf(Path archive, byte[] bytes) {
        try {
            return HdfFile.fromByteBuffer(java.nio.ByteBuffer.wrap(bytes));
        } catch (RuntimeException e) {
            throw new LosslabException(archive + ": model.weights.h5 is not a readable HDF5 file ("
                    + LosslabException.firstLine(String.valueOf(e.getMessage())) + ")");
        }
    }

    private static HdfFile openHdf(Path file) {
        try {
            return new HdfFile(file);
        } catch (RuntimeException e) {
            throw new LosslabException(file + ": not a readable HDF5 file (" + LosslabException.firstLine(String.valueOf(e.getMessage()))
                    + ")");
        }
    }

    /** A legacy HDF5 model's network, from its {@code model_config} attribute (tf.keras 2 and Keras 3 write it). */
    private static NetworkSpec legacyNetwork(Path file, HdfFile hdf) {
        Object config;
        try {
            var attr = hdf.getAttribute("model_config");
            config = attr == null ? null : attr.getData();
        } catch (RuntimeException e) {
            throw new LosslabException(file + ": not a readable HDF5 file (truncated or damaged? "
                    + LosslabException.firstLine(String.valueOf(e.getMessage())) + ")");
        }
        if (config == null) {
            throw new LosslabException(file + ": no model_config attribute: a weights-only .h5 (save_weights); give the "
                    + "network as model.keras (its JSON) and this file as model.weights");
        }
        String json = config instanceof String[] a && a.length == 1 ? a[0] : config.toString();
        try {
            return KerasJson.parse(JSON.readTree(json));
        } catch (IOException e) {
            throw new LosslabException(file + ": model_config is not JSON (" + LosslabException.firstLine(e.getMessage()) + ")");
        } catch (LosslabException e) {
            throw new LosslabException(file + ": " + e.getMessage());
        }
    }

    /** Keras' snake case of a class name (keras/src/utils/naming.py to_snake_case): ReLU -> re_lu. */
    public static String snakeCase(String className) {
        String s = className.replaceAll("\\W+", "");
        s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Each layer's variables, found where {@link KerasOrigin} says: a Keras 3 weights file keeps them under
     * {@code layers/<key>/vars/0, 1, ...}; a legacy file under {@code [model_weights/]<group>/<weight name>}, in the
     * order of the group's {@code weight_names} attribute (Keras' order; the datasets themselves list alphabetically).
     */
    private static Map<String, List<Variable>> readVariables(Path file, NetworkSpec network, HdfFile hdf) {
        return readVariables(file, network, hdf, true);
    }

    private static Map<String, List<Variable>> readVariables(Path file, NetworkSpec network, HdfFile hdf, boolean values) {
        Map<String, List<Variable>> out = new LinkedHashMap<>();
        try {
            boolean keras3 = hdf.getChildren().containsKey("layers") || hdf.getChildren().containsKey("vars");
            Group legacyRoot = hdf.getChildren().get("model_weights") instanceof Group g ? g : hdf;
            for (LayerSpec layer : network.layers()) {
                KerasOrigin origin = network.origins().get(layer.name());
                if (origin != null) {
                    out.put(layer.name(), keras3 ? variables(hdf, origin.key() + "/vars", values)
                            : legacy(legacyRoot, origin, values));
                }
            }
        } catch (LosslabException e) {
            throw new LosslabException(file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new LosslabException(file + ": weights not readable as HDF5 ("
                    + LosslabException.firstLine(String.valueOf(e.getMessage())) + ")");
        }
        return out;
    }

    private static List<Variable> legacy(Group root, KerasOrigin origin, boolean values) {
        if (!(root.getChildren().get(origin.legacyGroup()) instanceof Group group)) {
            return List.of();
        }
        var attr = group.getAttribute("weight_names");
        Object names = attr == null ? null : attr.getData();
        List<String> all = new ArrayList<>();
        if (names instanceof String[] a) {
            all.addAll(List.of(a));
        } else if (names instanceof String one && !one.isEmpty()) {
            all.add(one);
        }
        List<Variable> out = new ArrayList<>();
        for (String n : all) {
            if (n.startsWith(origin.legacyName() + "/")) {
                Node v = group.getByPath(n);
                if (!(v instanceof Dataset d)) {
                    throw new LosslabException(group.getPath() + n + " is not a dataset");
                }
                out.add(new Variable(d.getPath(), d.getDimensions(), values ? floats(d) : null));
            }
        }
        return out;
    }

    private static List<Variable> variables(HdfFile hdf, String path, boolean values) {
        Node node;
        try {
            node = hdf.getByPath(path);
        } catch (RuntimeException e) {
            return List.of(); // a layer without variables has no vars group (or an empty one)
        }
        if (!(node instanceof Group g)) {
            return List.of();
        }
        List<Variable> out = new ArrayList<>();
        for (int i = 0; g.getChildren().containsKey(String.valueOf(i)); i++) {
            Node v = g.getChild(String.valueOf(i));
            if (!(v instanceof Dataset d)) {
                throw new LosslabException(path + "/" + i + " is not a dataset");
            }
            out.add(new Variable(path + "/" + i, d.getDimensions(), values ? floats(d) : null));
        }
        return out;
    }

    private static float[] floats(Dataset d) {
        Object flat = d.getDataFlat();
        if (flat instanceof float[] f) {
            return f;
        }
        if (flat instanceof double[] x) {
            float[] f = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                f[i] = (float) x[i];
            }
            return f;
        }
        if (flat instanceof long[] || flat instanceof int[]) { // Normalization's count
            float[] f = new float[java.lang.reflect.Array.getLength(flat)];
            for (int i = 0; i < f.length; i++) {
                f[i] = ((Number) java.lang.reflect.Array.get(flat, i)).floatValue();
            }
            return f;
        }
        throw new LosslabException(d.getPath() + ": variables of type " + d.getJavaType().getSimpleName()
                + " are not supported (need float32)");
    }

    /**
     * The file's weights in {@code net}'s weight order, each shape-checked: a one-line error names the layer, the
     * variable and both shapes.
     */
    public List<Parameter> parameters(ResolvedNetwork net) {
        return parameters(net, null);
    }

    /**
     * As {@link #parameters(ResolvedNetwork)}, taking the weights of layers the file does not have (a new head) from
     * {@code fresh} (initial values in {@code net.weights()} order); null: every layer must be the file's.
     */
    public List<Parameter> parameters(ResolvedNetwork net, List<Parameter> fresh) {
        return parameters(net, fresh, true);
    }

    private List<Parameter> parameters(ResolvedNetwork net, List<Parameter> fresh, boolean values) {
        List<Parameter> out = new ArrayList<>();
        int at = 0;
        for (ResolvedLayer layer : net.layers()) {
            List<Weight> want = layer.weights();
            int first = at;
            at += want.size();
            if (want.isEmpty()) {
                continue;
            }
            String name = layer.spec().name();
            if (fresh != null && !variables.containsKey(name)) {
                out.addAll(fresh.subList(first, first + want.size()));
                continue;
            }
            List<Variable> have = variables.get(name);
            if (have == null || have.size() != want.size()) {
                throw new LosslabException(file + ": layer '" + name + "' needs " + want.size() + " variables ("
                        + want.stream().map(Weight::role).toList() + ") but the file has "
                        + (have == null ? "none" : have.size()));
            }
            for (int i = 0; i < want.size(); i++) {
                Weight w = want.get(i);
                Variable v = have.get(i);
                long[] shape = w.shape();
                boolean same = shape.length == v.shape().length;
                for (int d = 0; same && d < shape.length; d++) {
                    same = shape[d] == v.shape()[d];
                }
                if (!same) {
                    throw new LosslabException(file + ": layer '" + name + "' variable " + w.role() + " has shape "
                            + java.util.Arrays.toString(v.shape()) + " in the file but the network needs "
                            + java.util.Arrays.toString(shape));
                }
                if (values) {
                    out.add(new Parameter(w.name(), shape, v.values()));
                }
            }
        }
        return out;
    }
}
