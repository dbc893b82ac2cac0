package dev.losslab.api;

import dev.losslab.LosslabException;
import dev.losslab.tune.ArgmaxRule;
import dev.losslab.tune.DecisionRule;
import dev.losslab.savedmodel.OutputKind;
import dev.losslab.inference.ServingPipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Any SavedModel with one float image input {@code [-1, H, W, C]} (or {@code [-1, H, W]}) and one
 * {@code [-1, K]} output, as class probabilities: logits are turned into probabilities (softmax, or a
 * sigmoid for one unit), and a losslab model's class ids and names, pixel scaling and tuned rule come with it.
 * It serves exactly as {@code losslab predict} does (one pipeline, {@link ServingPipeline}):
 * give {@link #classify} the images' stored values (0-255) and the model's own pixel scaling is applied.
 *
 * <p>Two numbers name a class: its <em>index</em>, the output position 0..K-1, and its <em>id</em>, the dataset's
 * class (Fashion-MNIST's label 0-9, a folder's class number) that {@code predict}'s CSV, the metadata and the
 * {@code decide} signature's {@code class_id} use. A model trained on classes 0, 2 and 6 has indices 0, 1, 2 and ids
 * 0, 2, 6.
 */
public final class SavedModelClassifier implements AutoCloseable {
    private final ServingPipeline pipeline;

    private SavedModelClassifier(ServingPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Opens a SavedModel folder (tag {@code serve}).
     *
     * @param savedModel the folder holding {@code saved_model.pb} and {@code variables/}
     * @return the classifier; close it to free TensorFlow's session
     * @throws LosslabException with a one-line message when the folder is not a usable SavedModel
     */
    public static SavedModelClassifier open(Path savedModel) {
        return new SavedModelClassifier(ServingPipeline.open(savedModel));
    }

    /**
     * Classes the probabilities cover.
     *
     * @return K (2 for a model with one sigmoid output)
     */
    public int numClasses() {
        return pipeline.numClasses();
    }

    /**
     * The images the model takes.
     *
     * @return height, width (-1 where the model leaves it open) and channels
     */
    public int[] inputShape() {
        long[] hw = pipeline.predictor().imageSize();
        return new int[] {(int) hw[0], (int) hw[1], pipeline.predictor().channels()};
    }

    /**
     * The names of the model's classes.
     *
     * @return a losslab model's class names in output order, else empty
     */
    public Optional<List<String>> classNames() {
        return Optional.ofNullable(pipeline.classNames());
    }

    /**
     * The dataset's class id of each output: what {@code predict}'s CSV and the {@code decide} signature's
     * {@code class_id} report.
     *
     * @return a losslab model's class ids in output order (e.g. 0, 2, 6), else 0..K-1
     */
    public int[] classIds() {
        return pipeline.classIds();
    }

    /**
     * How the model wants its pixels scaled, as {@link #classify} applies it.
     *
     * @return {@code unit} (x / 255), {@code tf} (x / 127.5 - 1) or {@code raw} (as stored); {@code unit} for a model
     *         without losslab's metadata
     */
    public String pixelScaling() {
        return pipeline.scaling().configName();
    }

    /**
     * The decision rule tuned on validation when the model was trained.
     *
     * @return a losslab model's rule, else empty
     */
    public Optional<DecisionRule> tunedRule() {
        return Optional.ofNullable(pipeline.tunedRule());
    }

    /**
     * What {@link #classify} returns for {@code n} images.
     *
     * @param probabilities one row of K class probabilities per image
     * @param classIndex    each image's class under the model's rule as the output position 0..K-1
     * @param classId       the same class as the dataset's class id ({@link #classIds()} at the index)
     * @param className     the same class's name, or null when the model carries no names
     */
    public record Classification(double[][] probabilities, int[] classIndex, int[] classId, List<String> className) {
    }

    /**
     * Classifies {@code n} images given as stored (0-255 values, as PNG, IDX and Keras' loaders give them): the model's
     * pixel scaling is applied, then the model's own rule decides (inside TensorFlow through its {@code decide}
     * signature when it has one, else its tuned rule, else argmax), exactly as {@code losslab predict}.
     *
     * @param pixels {@code n * H * W * C} stored values, row-major
     * @param n      number of images
     * @return probabilities and each image's class as index, id and name
     */
    public Classification classify(float[] pixels, int n) {
        int[] s = inputShape();
        var r = pipeline.run(pixels, n, s[0], s[1], s[2], 1024, null, OutputKind.AUTO, null);
        List<String> names = pipeline.classNames();
        return new Classification(rows(r.probabilities(), n), r.classIndex(), r.classId(),
                names == null ? null : java.util.Arrays.stream(r.classIndex()).mapToObj(names::get).toList());
    }

    /**
     * Probabilities {@code [n][K]} for {@code n} images of the model's size, given as already scaled
     * pixels (see {@link #pixelScaling()}; {@link #classify} scales them itself), {@code N x H x W x C} row-major.
     *
     * @param pixels {@code n * H * W * C} scaled pixel values
     * @param n      number of images
     * @return one row of K class probabilities per image
     */
    public double[][] probabilities(float[] pixels, int n) {
        int[] s = inputShape();
        var r = pipeline.runScaled(pixels, n, s[0], s[1], s[2], 1024, OutputKind.AUTO,
                new ArgmaxRule(numClasses()));
        return rows(r.probabilities(), n);
    }

    /**
     * The class index (output position 0..K-1) of each image under the model's own rule, for already scaled pixels
     * as {@link #probabilities} takes them; {@link #classify} gives the class id and name too.
     *
     * @param pixels {@code n * H * W * C} scaled pixel values, as for {@link #probabilities}
     * @param n      number of images
     * @return each image's class index, 0..K-1 (not the dataset's class id: see {@link #classIds()})
     */
    public int[] decisions(float[] pixels, int n) {
        int[] s = inputShape();
        return pipeline.runScaled(pixels, n, s[0], s[1], s[2], 1024, OutputKind.AUTO, null).classIndex();
    }

    private double[][] rows(float[] p, int n) {
        int k = numClasses();
        double[][] out = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                out[i][c] = p[i * k + c];
            }
        }
        return out;
    }

    /** Frees TensorFlow's session and graph. */
    @Override
    public void close() {
        pipeline.close();
    }
}
