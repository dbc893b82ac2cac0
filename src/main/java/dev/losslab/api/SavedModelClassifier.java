package dev.losslab.api;

import dev.losslab.inference.ModelMetadata;
import dev.losslab.inference.OutputKind;
import dev.losslab.inference.SavedModelPredictor;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Any SavedModel with one float image input {@code [-1, H, W, C]} (or {@code [-1, H, W]}) and one
 * {@code [-1, K]} output, as class probabilities: logits are turned into probabilities (softmax, or a
 * sigmoid for one unit), and a losslab model's class names and tuned rule come with it.
 */
public final class SavedModelClassifier implements AutoCloseable {
    private final SavedModelPredictor predictor;
    private final Optional<ModelMetadata> metadata;

    private SavedModelClassifier(SavedModelPredictor predictor, Optional<ModelMetadata> metadata) {
        this.predictor = predictor;
        this.metadata = metadata;
    }

    /** Opens the SavedModel folder (one-line errors for what is missing). */
    public static SavedModelClassifier open(Path savedModel) {
        Optional<ModelMetadata> meta = ModelMetadata.read(savedModel);
        return new SavedModelClassifier(SavedModelPredictor.open(savedModel), meta);
    }

    /** Classes the probabilities cover. */
    public int numClasses() {
        return predictor.numClasses();
    }

    /** Image height, width (-1 where open) and channels the model takes. */
    public int[] inputShape() {
        long[] hw = predictor.imageSize();
        return new int[] {(int) hw[0], (int) hw[1], predictor.channels()};
    }

    /** A losslab model's class names, else empty. */
    public Optional<List<String>> classNames() {
        return metadata.map(ModelMetadata::classNames);
    }

    /** A losslab model's rule tuned on validation, else empty. */
    public Optional<dev.losslab.tune.DecisionRule> tunedRule() {
        return metadata.map(ModelMetadata::rule);
    }

    /**
     * Probabilities {@code [n][K]} for {@code n} images of the model's size, given as already scaled
     * pixels (losslab models: value / 255), {@code N x H x W x C} row-major.
     */
    public double[][] probabilities(float[] pixels, int n) {
        int[] s = inputShape();
        float[] raw = predictor.outputs(pixels, n, s[0], s[1], s[2], 1024);
        int units = predictor.outputUnits();
        OutputKind kind = metadata.map(m -> OutputKind.parse(m.outputs()))
                .orElse(OutputKind.detect(raw, Math.min(1024, n), units));
        float[] p = kind.toProbabilities(raw, n, units);
        int k = numClasses();
        double[][] out = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                out[i][c] = p[i * k + c];
            }
        }
        return out;
    }

    @Override
    public void close() {
        predictor.close();
    }
}
