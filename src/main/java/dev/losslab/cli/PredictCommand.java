package dev.losslab.cli;

import dev.losslab.LosslabException;
import dev.losslab.data.IdxFile;
import dev.losslab.data.IdxImages;
import dev.losslab.data.Images;
import dev.losslab.experiment.ProbabilityCsv;
import dev.losslab.metrics.Metrics;
import dev.losslab.train.SavedModelPredictor;
import dev.losslab.tune.ArgmaxRule;
import dev.losslab.tune.DecisionRule;
import dev.losslab.tune.DecisionRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run any SavedModel with one image input and one probability output on IDX images; apply a "
                + "decision rule (else argmax / 0.5) and write index,predicted,p0.. CSV.")
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "SavedModel folder")
    Path model;

    @Option(names = "--images", required = true, description = "IDX images (gzip'd or raw), 28x28")
    Path images;

    @Option(names = "--labels", description = "IDX labels (default: the matching *labels-idx1* file beside the images, if any)")
    Path labels;

    @Option(names = "--rule", description = "decision-rule.json from train or tune (default: argmax / 0.5)")
    Path rule;

    @Option(names = "--out", description = "predictions CSV (default: print a summary only)")
    Path out;

    @Option(names = "--batch", defaultValue = "1024", description = "images per inference call (default: ${DEFAULT-VALUE})")
    int batch;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (batch < 1) {
            throw new LosslabException("--batch must be >= 1");
        }
        IdxImages idx = IdxFile.readImages(images);
        Path labelsFile = labels != null ? labels : siblingLabels(images);
        byte[] rawLabels = null;
        if (labelsFile != null) {
            rawLabels = IdxFile.readLabels(labelsFile);
            IdxFile.checkPair(images, idx, labelsFile, rawLabels);
        }
        try (SavedModelPredictor predictor = SavedModelPredictor.open(model)) {
            long[] hw = predictor.imageSize();
            if (idx.rows() != Images.SIDE || idx.cols() != Images.SIDE
                    || hw[0] != -1 && hw[0] != idx.rows() || hw[1] != -1 && hw[1] != idx.cols()) {
                throw new LosslabException(images + ": images are " + idx.rows() + "x" + idx.cols() + " but the model expects "
                        + (hw[0] == -1 ? Images.SIDE : hw[0]) + "x" + (hw[1] == -1 ? Images.SIDE : hw[1]));
            }
            int k = predictor.numClasses();
            DecisionRule decision = rule == null ? new ArgmaxRule(k) : DecisionRules.read(rule);
            if (decision.numClasses() != k) {
                throw new LosslabException(rule + ": rule is for " + decision.numClasses() + " classes but the model outputs " + k);
            }
            if (rawLabels != null && !labelsWithin(rawLabels, k)) {
                if (labels != null) {
                    throw new LosslabException(labels + ": holds labels outside the model's classes 0.." + (k - 1));
                }
                spec.commandLine().getErr().println("note: " + labelsFile + " holds labels outside the model's classes 0.."
                        + (k - 1) + "; accuracy is not computed");
                rawLabels = null;
            }
            int[] all = new int[idx.count()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            int[] identity = new int[256];
            for (int i = 0; i < 256; i++) {
                identity[i] = i;
            }
            byte[] labelBytes = rawLabels != null ? rawLabels : new byte[idx.count()];
            Images set = Images.select(idx, labelBytes, all, identity, Math.max(k, 256));
            long start = System.nanoTime();
            float[] p = predictor.probabilities(set, batch);
            double seconds = (System.nanoTime() - start) / 1e9;
            int[] predicted = decision.predict(p);
            if (out != null) {
                ProbabilityCsv.writePredictions(out, predicted, p, k);
            }
            var w = spec.commandLine().getOut();
            w.println(String.format(Locale.ROOT, "%d images, %d classes, %.0f images/s%s", idx.count(), k,
                    idx.count() / seconds, out != null ? " -> " + out : ""));
            if (rawLabels != null) {
                w.println(String.format(Locale.ROOT, "accuracy %.4f (labels from %s)", Metrics.accuracy(predicted, set.labels()),
                        labelsFile));
            }
            w.flush();
        }
        return 0;
    }

    private static boolean labelsWithin(byte[] labelBytes, int k) {
        for (byte b : labelBytes) {
            if ((b & 0xff) >= k) {
                return false;
            }
        }
        return true;
    }

    /** The Fashion-MNIST naming convention: {@code X-images-idx3-ubyte[.gz]} sits beside {@code X-labels-idx1-ubyte[.gz]}. */
    static Path siblingLabels(Path imagesFile) {
        String name = imagesFile.getFileName().toString();
        if (!name.contains("images-idx3")) {
            return null;
        }
        Path candidate = imagesFile.resolveSibling(name.replace("images-idx3", "labels-idx1"));
        return Files.isRegularFile(candidate) ? candidate : null;
    }
}
