package dev.losslab.inference;

import dev.losslab.LosslabException;
import dev.losslab.data.PixelScaling;
import dev.losslab.savedmodel.ModelMetadata;
import dev.losslab.savedmodel.OutputKind;
import dev.losslab.tune.ArgmaxRule;
import dev.losslab.tune.DecisionRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The one way losslab serves a SavedModel, used by {@code predict} and the Java API alike: images as they are stored
 * (0-255 values) are scaled as the model's metadata says ({@code unit}: /255, {@code tf}: /127.5 - 1, {@code raw}), run
 * through the model, turned into probabilities ({@link OutputKind}), and decided by the model's own rule: inside
 * TensorFlow through its {@code decide} signature when it has one, else the metadata's tuned rule, else argmax.
 *
 * <p>Each decision is reported both ways: the class index (the output position, 0..K-1) and the class id (the
 * dataset's class, as the metadata lists it: Fashion-MNIST's label, a folder's class number), with its name.
 */
public final class ServingPipeline implements AutoCloseable {
    private final SavedModelPredictor predictor;
    private final Optional<ModelMetadata> metadata;
    private final Path savedModel;

    private ServingPipeline(Path savedModel, SavedModelPredictor predictor, Optional<ModelMetadata> metadata) {
        this.savedModel = savedModel;
        this.predictor = predictor;
        this.metadata = metadata;
    }

    /** Opens a SavedModel folder and its losslab metadata (if any), checking that the two agree. */
    public static ServingPipeline open(Path savedModel) {
        Optional<ModelMetadata> meta = ModelMetadata.read(savedModel);
        SavedModelPredictor p = SavedModelPredictor.open(savedModel);
        if (meta.isPresent() && meta.get().classIds().length != p.numClasses()) {
            p.close();
            throw new LosslabException(ModelMetadata.file(savedModel) + ": lists " + meta.get().classIds().length
                    + " classes but the model outputs " + p.numClasses());
        }
        return new ServingPipeline(savedModel, p, meta);
    }

    public SavedModelPredictor predictor() {
        return predictor;
    }

    public Optional<ModelMetadata> metadata() {
        return metadata;
    }

    public int numClasses() {
        return predictor.numClasses();
    }

    /** The dataset's class id of each output position: the metadata's, else the positions themselves. */
    public int[] classIds() {
        return metadata.map(ModelMetadata::classIds).orElse(IntStream.range(0, numClasses()).toArray());
    }

    /** The class names in output order, or null when the model does not carry them. */
    public List<String> classNames() {
        return metadata.map(ModelMetadata::classNames).orElse(null);
    }

    /** The pixel scaling the model was trained with: its metadata's, else {@code unit} (/255). */
    public PixelScaling scaling() {
        return metadata.map(m -> PixelScaling.parse(m.pixels())).orElse(PixelScaling.UNIT);
    }

    /** The rule tuned on validation when the model was trained, or null. */
    public DecisionRule tunedRule() {
        return metadata.map(ModelMetadata::rule).orElse(null);
    }

    /**
     * What the pipeline decided.
     *
     * @param probabilities {@code n * K} probabilities, row-major
     * @param classIndex    each image's class as the output position 0..K-1
     * @param classId       each image's class as the dataset's class id
     * @param inGraph       true when TensorFlow applied the rule (the model's {@code decide} signature)
     * @param kind          how the model's outputs were read (probabilities, or logits turned into them)
     */
    public record Result(float[] probabilities, int[] classIndex, int[] classId, boolean inGraph, OutputKind kind) {
    }

    /**
     * Runs {@code n} images of {@code h x w x c} stored values (0-255).
     *
     * @param scaling     the pixel scaling to apply, or null for the model's ({@link #scaling()})
     * @param kind        {@link OutputKind#AUTO} to take the metadata's word or look at the first batch
     * @param rule        a rule to apply instead of the model's own, or null for the model's (in the graph when it can)
     */
    public Result run(float[] stored, int n, int h, int w, int c, int batch, PixelScaling scaling, OutputKind kind,
                      DecisionRule rule) {
        float[] x = stored.clone();
        (scaling != null ? scaling : scaling()).apply(x, c);
        return runScaled(x, n, h, w, c, batch, kind, rule);
    }

    /** As {@link #run}, for pixels already scaled as the model takes them. */
    public Result runScaled(float[] x, int n, int h, int w, int c, int batch, OutputKind kind, DecisionRule rule) {
        int k = numClasses();
        boolean inGraph = rule == null && predictor.hasDecide();
        SavedModelPredictor.Decisions decided = inGraph ? predictor.decide(x, n, h, w, c, batch) : null;
        float[] raw = inGraph ? decided.probabilities() : predictor.outputs(x, n, h, w, c, batch);
        int units = predictor.outputUnits();
        OutputKind k2 = kind == null || kind == OutputKind.AUTO
                ? metadata.map(m -> OutputKind.parse(m.outputs())).orElse(OutputKind.detect(raw, Math.min(batch, n), units))
                : kind;
        float[] p = k2.toProbabilities(raw, n, units);
        int[] index;
        if (inGraph) {
            index = decided.classIndices();
            for (int i : index) {
                if (i < 0 || i >= k) {
                    throw new LosslabException(savedModel + ": its 'decide' signature returned class " + i + " for a model with "
                            + k + " classes");
                }
            }
        } else {
            DecisionRule r = rule != null ? rule : tunedRule() != null ? tunedRule() : new ArgmaxRule(k);
            if (r.numClasses() != k) {
                throw new LosslabException("the rule is for " + r.numClasses() + " classes but the model outputs " + k);
            }
            index = r.predict(p);
        }
        int[] ids = classIds();
        int[] id = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            id[i] = ids[index[i]];
        }
        return new Result(p, index, id, inGraph, k2);
    }

    @Override
    public void close() {
        predictor.close();
    }
}
