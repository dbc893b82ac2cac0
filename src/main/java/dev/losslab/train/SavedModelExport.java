package dev.losslab.train;

import dev.losslab.network.ClassifierOutput;
import dev.losslab.network.NetworkGraph;
import dev.losslab.network.ResolvedNetwork;
import dev.losslab.savedmodel.ModelMetadata;
import dev.losslab.LosslabException;
import dev.losslab.data.InputShape;
import dev.losslab.network.ModelSpec;
import dev.losslab.network.Parameter;
import dev.losslab.util.OwnedFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * {@link ModelMetadata} in {@code assets/} when given. When the metadata holds a tuned rule,
 * a second signature {@code decide} (same input) returns, under that rule, {@code class_index} (int64 [-1], the output
 * position 0..K-1), {@code class_id} (int64 [-1], the dataset's class id, as {@code predict}'s CSV and the metadata
 * name it) and {@code class_name} (string [-1]), built as ops by {@link DecisionGraph}, and the {@code probabilities} it decided on,
 * so TF Serving, Python or any TensorFlow runtime gets losslab's decisions, not argmax.
 *
 * <p>The export graph is built fresh from the trained parameters, so it holds only the inference
 * path: no training data, no optimizer slots. It is written to a marked temporary sibling folder and
 * renamed into place ({@link OwnedFolder}), so a reader never sees half a model, and a folder already at that
 * name is replaced only when losslab wrote it (callers check --out first with {@link OwnedFolder#checkOutput}).
 */
public final class SavedModelExport {
    public static final String SIGNATURE = "serving_default";
    public static final String INPUT = "images";
    public static final String OUTPUT = "probabilities";
    /**
     * The signature that applies the tuned rule: same input, outputs {@link #CLASS_INDEX}, {@link #CLASS_ID},
     * {@link #CLASS_NAME} and {@link #OUTPUT}.
     */
    public static final String DECIDE = "decide";
    /** The output position 0..K-1 the rule picks. */
    public static final String CLASS_INDEX = "class_index";
    /** The dataset's class id the rule picks (Fashion-MNIST's 0-9 label, a folder's class number); before format 2, the index. */
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
                              ModelMetadata metadata) {
        export(parameters, spec, InputShape.FASHION_MNIST, numClasses, dir, metadata);
    }

    /** As above, for a network on {@code input} images (signature input [-1, H, W, C]). */
    public static void export(List<Parameter> parameters, ModelSpec spec, InputShape input, int numClasses, Path dir,
                              ModelMetadata metadata) {
        export(parameters, spec.resolve(input, numClasses), dir, metadata);
    }

    /** As above, for a network already resolved for its input and classes. */
    public static void export(List<Parameter> parameters, ResolvedNetwork network, Path dir,
                              ModelMetadata metadata) {
        InputShape input = network.input();
        int numClasses = network.numClasses();
        Path tmp = null;
        try {
            tmp = OwnedFolder.createTemporarySibling(dir);
            try (Graph g = new Graph()) {
                Ops tf = Ops.create(g);
                var model = NetworkGraph.create(tf, network, parameters, 0);
                Placeholder<TFloat32> images = tf.withName(INPUT).placeholder(TFloat32.class,
                        Placeholder.shape(ClassifierOutput.inputShape(input)));
                // the inference pass: moving statistics, no dropout
                Operand<TFloat32> probabilities = tf.withName(OUTPUT).identity(
                        ClassifierOutput.probabilities(tf, model.logits(tf, images, false), numClasses));
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
            OwnedFolder.publish(tmp, dir);
        } catch (IOException e) {
            throw LosslabException.writing("cannot write SavedModel to " + dir, e);
        } catch (org.tensorflow.exceptions.TensorFlowException e) {
            // TensorFlow reports a full disk as a resource exhaustion with an out-of-memory hint: say what happened
            throw LosslabException.writing("cannot write SavedModel to " + dir, e);
        } finally {
            if (tmp != null) {
                OwnedFolder.deleteQuietly(tmp);
            }
        }
    }

    /** The tuned rule as ops ({@link DecisionGraph}) on the model's own probabilities. */
    private static Signature decideSignature(Ops tf, Placeholder<TFloat32> images, Operand<TFloat32> probabilities,
                                             ModelMetadata metadata, int numClasses) {
        if (metadata.rule().numClasses() != numClasses || metadata.classNames().size() != numClasses) {
            throw new IllegalArgumentException("the rule is for " + metadata.rule().numClasses() + " classes and "
                    + metadata.classNames().size() + " names are given, but the network has " + numClasses + " outputs");
        }
        var index = tf.withName(CLASS_INDEX).identity(DecisionGraph.classIndices(tf, probabilities, metadata.rule()));
        var ids = tf.withName(CLASS_ID).identity(DecisionGraph.classIds(tf, index, metadata.classIds()));
        var names = tf.withName(CLASS_NAME).identity(DecisionGraph.classNames(tf, index, metadata.classNames()));
        return Signature.builder().key(DECIDE).methodName("tensorflow/serving/predict").input(INPUT, images)
                .output(CLASS_INDEX, index).output(CLASS_ID, ids).output(CLASS_NAME, names).output(OUTPUT, probabilities)
                .build();
    }
}
