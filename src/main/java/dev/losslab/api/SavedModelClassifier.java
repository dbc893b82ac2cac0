package dev.losslab.api;

import dev.losslab.savedmodel.ModelMetadata;
import dev.losslab.savedmodel.OutputKind;
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

    /**
     * Opens a SavedModel folder (tag {@code serve}).
     *
     * @param savedModel the folder holding {@code saved_model.pb} and {@code variables/}
     * @return the classifier; close it to free TensorFlow's session
     * @throws dev.losslab.LosslabException with a one-line message when the folder is not a usable SavedModel
     */
    public static SavedModelClassifier open(Path savedModel) {
        Optional<ModelMetadata> meta = ModelMetadata.read(savedModel);
        return new SavedModelClassifier(SavedModelPredictor.open(savedModel), meta);
    }

    /**
     * Classes the probabilities cover.
     *
     * @return K (2 for a model with one sigmoid output)
     */
    public int numClasses() {
        return predictor.numClasses();
    }

    /**
     * The images the model takes.
     *
     * @return height, width (-1 where the model leaves it open) and channels
     */
    public int[] inputShape() {
        long[] hw = predictor.imageSize();
        return new int[] {(int) hw[0], (int) hw[1], predictor.channels()};
    }

    /**
     * The names of the model's classes.
     *
     * @return a losslab model's class names in output order, else empty
     */
    public Optional<List<String>> classNames() {
        return metadata.map(ModelMetadata::classNames);
    }

    /**
     * The decision rule tuned on validation when the model was trained.
     *
     * @return a losslab model's rule, else empty
     */
    public Optional<dev.losslab.tune.DecisionRule> tunedRule() {
        return metadata.map(ModelMetadata::rule);
    }

    /**
     * Probabilities {@code [n][K]} for {@code n} images of the model's size, given as already scaled
     * pixels (losslab models: value / 255), {@code N x H x W x C} row-major.
     *
     * @param pixels {@code n * H * W * C} scaled pixel values
     * @param n      number of images
     * @return one row of K class probabilities per image
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

    /**
     * The class of each image under the model's own rule: TensorFlow runs the rule inside the model (its
     * {@code decide} signature, which losslab writes into every model it trains), else the tuned rule from its
     * metadata is applied to {@link #probabilities}, else argmax (0.5 for two classes).
     *
     * @param pixels {@code n * H * W * C} scaled pixel values, as for {@link #probabilities}
     * @param n      number of images
     * @return each image's class index, 0..K-1
     */
    public int[] decisions(float[] pixels, int n) {
        int[] s = inputShape();
        if (predictor.hasDecide()) {
            return predictor.decide(pixels, n, s[0], s[1], s[2], 1024).classIds();
        }
        double[][] p = probabilities(pixels, n);
        return ThresholdTuning.predict(tunedRule().orElse(new dev.losslab.tune.ArgmaxRule(numClasses())), p);
    }

    /** Frees TensorFlow's session and graph. */
    @Override
    public void close() {
        predictor.close();
    }
}
