package dev.losslab.train;

import dev.losslab.LosslabException;
import dev.losslab.network.InputShape;
import dev.losslab.network.ModelSpec;
import dev.losslab.network.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes a trained CNN as a SavedModel (tag {@code serve}, signature {@code serving_default}: input
 * {@code images} float [-1, H, W, C] (Fashion-MNIST: [-1, 28, 28, 1]), output {@code probabilities} [-1, K]), with losslab's
 * {@link dev.losslab.savedmodel.ModelMetadata} in {@code assets/} when given. When the metadata holds a tuned rule,
 * a second signature {@code decide} (same input) returns {@code class_id} (int64 [-1]) and {@code class_name}
 * (string [-1]) under that rule, built as ops by {@link DecisionGraph}, and the {@code probabilities} it decided on,
 * so TF Serving, Python or any TensorFlow runtime gets losslab's decisions, not argmax.
 *
 * <p>The export graph is built fresh from the trained parameters, so it holds only the inference
 * path: no training data, no optimizer slots. It is written to a temporary sibling directory and
 * renamed into place, so a reader never sees half a model.
 */
public final class SavedModelExport {
    public static final String SIGNATURE = "serving_default";
    public static final String INPUT = "images";
    public static final String OUTPUT = "probabilities";
    /** The signature that applies the tuned rule: same input, outputs {@link #CLASS_ID}, {@link #CLASS_NAME} and {@link #OUTPUT}. */
    public static final String DECIDE = "decide";
    public static final String CLASS_ID = "class_id";
    public static final String CLASS_NAME = "class_name";

    private SavedModelExport() {
    }

    public static void export(List<Parameter> parameters, ModelSpec spec, int numClasses, Path dir) {
        export(parameters, spec, numClasses, dir, null);
    }

    /**
     * As {@link #export(List, ModelSpec, int, Path)}, with {@code metadata} (may be null) written
     * into the model's {@code assets/} before the folder is renamed into place.
     */
    public static void export(List<Parameter> parameters, ModelSpec spec, int numClasses, Path dir,
                              dev.losslab.savedmodel.ModelMetadata metadata) {
        export(parameters, spec, InputShape.FASHION_MNIST, numClasses, dir, metadata);
    }

    /** As above, for a network on {@code input} images (signature input [-1, H, W, C]). */
    public static void export(List<Parameter> parameters, ModelSpec spec, InputShape input, int numClasses, Path dir,
                              dev.losslab.savedmodel.ModelMetadata metadata) {
        export(parameters, spec.resolve(input, numClasses), dir, metadata);
    }

    /** As above, for a network already resolved for its input and classes. */
    public static void export(List<Parameter> parameters, dev.losslab.network.ResolvedNetwork network, Path dir,
                              dev.losslab.savedmodel.ModelMetadata metadata) {
        InputShape input = network.input();
        int numClasses = network.numClasses();
        Path parent = dir.toAbsolutePath().getParent();
        Path tmp = parent.resolve("." + dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(parent);
            deleteRecursively(tmp);
            try (Graph g = new Graph()) {
                Ops tf = Ops.create(g);
                var model = dev.losslab.network.NetworkGraph.create(tf, network, parameters, 0);
                Placeholder<TFloat32> images = tf.withName(INPUT).placeholder(TFloat32.class,
                        Placeholder.shape(dev.losslab.network.ClassifierOutput.inputShape(input)));
                // the inference pass: moving statistics, no dropout
                Operand<TFloat32> probabilities = tf.withName(OUTPUT).identity(
                        dev.losslab.network.ClassifierOutput.probabilities(tf, model.logits(tf, images, false), numClasses));
                List<Signature> signatures = new java.util.ArrayList<>(List.of(Signature.builder().key(SIGNATURE)
                        .methodName("tensorflow/serving/predict").input(INPUT, images).output(OUTPUT, probabilities).build()));
                if (metadata != null && metadata.rule() != null) {
                    signatures.add(decideSignature(tf, images, probabilities, metadata, numClasses));
                }
                try (Session s = new Session(g)) {
                    s.initialize();
                    model.initialize(s);
                    SavedModelBundle.exporter(tmp.toString()).withSession(s)
                            .withSignatures(signatures.toArray(Signature[]::new)).export();
                }
            }
            if (metadata != null) {
                metadata.write(tmp);
            }
            deleteRecursively(dir);
            Files.move(tmp, dir);
        } catch (IOException e) {
            throw new LosslabException("cannot write SavedModel to " + dir + ": " + e.getMessage());
        } finally {
            try {
                deleteRecursively(tmp);
            } catch (IOException ignored) {
                // best effort: a leftover temp dir is hidden and harmless
            }
        }
    }

    /** The tuned rule as ops ({@link DecisionGraph}) on the model's own probabilities. */
    private static Signature decideSignature(Ops tf, Placeholder<TFloat32> images, Operand<TFloat32> probabilities,
                                             dev.losslab.savedmodel.ModelMetadata metadata, int numClasses) {
        if (metadata.rule().numClasses() != numClasses || metadata.classNames().size() != numClasses) {
            throw new IllegalArgumentException("the rule is for " + metadata.rule().numClasses() + " classes and "
                    + metadata.classNames().size() + " names are given, but the network has " + numClasses + " outputs");
        }
        var ids = tf.withName(CLASS_ID).identity(DecisionGraph.classIds(tf, probabilities, metadata.rule()));
        var names = tf.withName(CLASS_NAME).identity(DecisionGraph.classNames(tf, ids, metadata.classNames()));
        return Signature.builder().key(DECIDE).methodName("tensorflow/serving/predict").input(INPUT, images)
                .output(CLASS_ID, ids).output(CLASS_NAME, names).output(OUTPUT, probabilities).build();
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
