package dev.losslab.cli;

import dev.losslab.kerasfile.KerasModelFile;
import dev.losslab.train.KerasExport;
import dev.losslab.util.OwnedFolder;
import dev.losslab.LosslabException;
import dev.losslab.data.IdxFile;
import dev.losslab.inference.InputImages;
import dev.losslab.savedmodel.ModelMetadata;
import dev.losslab.savedmodel.OutputKind;
import dev.losslab.data.PixelScaling;
import dev.losslab.inference.PredictionCsv;
import dev.losslab.inference.SavedModelPredictor;
import dev.losslab.inference.ServingPipeline;
import dev.losslab.metrics.Metrics;
import dev.losslab.train.SavedModelExport;
import dev.losslab.tune.ArgmaxRule;
import dev.losslab.tune.DecisionRule;
import dev.losslab.tune.DecisionRules;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Run any SavedModel with one float image input ([-1,H,W,C], C = 1, 3 or 4, or [-1,H,W]) and one "
                + "output on images (IDX, .npy, or picture files and folders); turn its outputs into probabilities, apply a "
                + "decision rule, and write index[,file],predicted[,predicted_name],<probabilities> CSV.",
                "Pixels are divided by 255 by default (--pixels unit); losslab's own models say what they expect in "
                        + "assets/losslab-model.json (class ids and names, pixel scale, how pictures were decoded) and carry "
                        + "their tuned rule as the 'decide' signature, which predict applies unless --rule says otherwise."})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "SavedModel folder (saved_model.pb and variables/), a Keras 3 "
            + ".keras file or a legacy .h5 model")
    Path model;

    @Option(names = "--images", required = true, arity = "1..*",
            description = "an IDX images file (gzip'd or raw), a .npy array [N,H,W] or [N,H,W,C] (uint8 or float32), "
                    + "or picture files and folders (png, jpg, bmp, gif; decoded to the model's channels and size as its "
                    + "training decoded them, else bilinear)")
    List<Path> images;

    @Option(names = "--labels", description = "IDX labels of the model's classes, for accuracy (default for losslab models: "
            + "the *labels-idx1* file beside IDX images, mapped through the model's class ids, or the class subfolders of "
            + "a picture folder)")
    Path labels;

    @Option(names = "--rule", description = "decision-rule.json from train or tune, or 'argmax' (default: the rule inside a losslab "
            + "model, its 'decide' signature or, in older models, its metadata; else argmax / 0.5)")
    String rule;

    @Option(names = "--pixels", description = "unit: divide pixel values (0..255) by 255; raw: feed 0..255; Keras' "
            + "preprocess_input modes tf (x / 127.5 - 1), torch (ImageNet mean/std), caffe (BGR, ImageNet means) "
            + "(default: what the model records; raw for a Keras file; else unit)")
    String pixels;

    @Option(names = "--outputs", defaultValue = "auto", description = "auto, probabilities or logits (softmax / sigmoid "
            + "applied); auto checks the first batch (default: ${DEFAULT-VALUE})")
    String outputs;

    @Option(names = "--class-names", split = ",", description = "names of the model's outputs, in order, e.g. "
            + "cat,dog (default: from a losslab model's metadata)")
    List<String> classNames;

    @Option(names = "--out", description = "predictions CSV (default: print a summary only); an existing file is "
            + "refused unless --force")
    Path out;

    @Option(names = "--force", description = "replace an existing --out file (never the model or an input image)")
    boolean force;

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
        checkOut();
        OutputKind kindOption = OutputKind.parse(outputs);
        PixelScaling scalingOption = pixels == null ? null : PixelScaling.parse(pixels);
        if (!(KerasModelFile.isModelFile(model) && Files.isRegularFile(model))) {
            return predict(model, kindOption, scalingOption);
        }
        // a .keras or .h5 file: exported to a temporary SavedModel, then predicted like any other
        Path tmp = OwnedFolder.create(Files.createTempDirectory("losslab-keras"));
        try {
            Path savedModel = tmp.resolve("model");
            KerasExport.export(model, savedModel);
            return predict(savedModel, kindOption, scalingOption);
        } finally {
            OwnedFolder.deleteQuietly(tmp);
        }
    }

    /** The CSV goes to a new file, or replaces a file only with --force, and never the model or an input. */
    private void checkOut() {
        if (out == null) {
            return;
        }
        if (Files.isDirectory(out)) {
            throw new LosslabException("--out " + out + " is a folder; give the CSV file to write, e.g. " + out.resolve("predictions.csv"));
        }
        Path abs = out.toAbsolutePath().normalize();
        List<Path> inputs = new java.util.ArrayList<>(images);
        inputs.add(model);
        for (Path in : inputs) {
            Path a = in.toAbsolutePath().normalize();
            if (abs.equals(a) || abs.startsWith(a)) {
                throw new LosslabException("--out " + out + " would overwrite the input " + in + "; choose another file");
            }
        }
        if (Files.exists(out) && !force) {
            throw new LosslabException("--out " + out + " exists; pass --force to replace it, or choose another file");
        }
    }

    /** Predicts with the SavedModel folder {@code savedModel} ({@link #model} itself, or its export). */
    private int predict(Path savedModel, OutputKind kindOption, PixelScaling scalingOption) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        try (ServingPipeline pipeline = ServingPipeline.open(savedModel)) {
            SavedModelPredictor predictor = pipeline.predictor();
            Optional<ModelMetadata> meta = pipeline.metadata();
            int k = predictor.numClasses();
            long[] hw = predictor.imageSize();
            int[] ids = meta.map(ModelMetadata::classIds).orElse(null);
            List<String> names = classNames != null ? classNames : pipeline.classNames();
            if (classNames != null && classNames.size() != k) {
                throw new LosslabException("--class-names gives " + classNames.size() + " names but the model outputs " + k
                        + " classes");
            }
            DecisionRule decision = decisionRule(meta, k, savedModel);
            PixelScaling scaling = scalingOption != null ? scalingOption : pipeline.scaling();

            InputImages input = InputImages.read(images, hw[0], hw[1], predictor.channels(),
                    meta.map(ModelMetadata::decoding).orElse(null));
            int[] labelPositions = labels(input, meta, k, err);

            long start = System.nanoTime();
            // no --rule and the model carries its rule: TensorFlow decides, as in any other runtime serving the model
            ServingPipeline.Result result = pipeline.run(input.values(), input.count(), input.height(), input.width(),
                    input.channels(), batch, scaling, kindOption, rule == null ? null : decision);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (kindOption == OutputKind.AUTO && result.kind() == OutputKind.LOGITS && meta.isEmpty()) {
                err.println("note: the model's outputs are not probabilities (values outside [0, 1] or rows not summing "
                        + "to 1); applying " + (predictor.outputUnits() == 1 ? "a sigmoid" : "softmax") + " (--outputs "
                        + "probabilities to take them as they are)");
            }
            float[] p = result.probabilities();
            int[] predicted = result.classIndex();
            if (result.inGraph()) {
                ruleNote = "note: applying the rule inside the model (its '" + SavedModelExport.DECIDE + "' signature"
                        + (meta.isPresent() && meta.get().rule() != null ? ", method " + describe(meta.get().rule()) : "")
                        + ", tuned on validation; --rule argmax for argmax)";
            }
            if (ruleNote != null) {
                err.println(ruleNote);
            }
            if (out != null) {
                PredictionCsv.write(out, predicted, p, k, input.sources(), ids, names);
            }
            var w = spec.commandLine().getOut();
            w.println(String.format(Locale.ROOT, "%d images (%s, %dx%d%s, pixels %s), %d classes, %.0f images/s%s",
                    input.count(), input.kind(), input.height(), input.width(),
                    input.channels() == 1 ? "" : "x" + input.channels(), scaling.configName(), k,
                    input.count() / seconds, out != null ? " -> " + out : ""));
            if (labelPositions != null) {
                w.println(String.format(Locale.ROOT, "accuracy %.4f", Metrics.accuracy(predicted, labelPositions)));
            }
            w.flush();
            err.flush();
        }
        return 0;
    }

    private String ruleNote;

    private DecisionRule decisionRule(Optional<ModelMetadata> meta, int k, Path savedModel) {
        DecisionRule decision;
        if (rule != null && rule.equals("argmax")) {
            decision = new ArgmaxRule(k);
        } else if (rule != null) {
            decision = DecisionRules.read(Path.of(rule));
        } else if (meta.isPresent() && meta.get().rule() != null) {
            decision = meta.get().rule();
            ruleNote = "note: applying the rule tuned on validation when the model was trained (method "
                    + describe(decision) + "; --rule argmax for argmax)";
        } else {
            decision = new ArgmaxRule(k);
        }
        if (decision.numClasses() != k) {
            throw new LosslabException((rule != null ? rule : ModelMetadata.file(savedModel)) + ": rule is for "
                    + decision.numClasses() + " classes but the model outputs " + k);
        }
        return decision;
    }

    private static String describe(DecisionRule r) {
        return DecisionRules.describe(r);
    }

    /**
     * Labels as output positions, or null when accuracy is not computed: given with --labels (taken as
     * the model's classes: Fashion-MNIST ids for a losslab model, positions 0..K-1 otherwise), or for a
     * losslab model the labels file beside IDX images. Accuracy needs every label to be one of the
     * model's classes.
     */
    private int[] labels(InputImages input, Optional<ModelMetadata> meta, int k, PrintWriter err) {
        Path file = labels;
        if (file == null && meta.isPresent() && input.kind().equals("idx") && images.size() == 1) {
            file = siblingLabels(images.get(0));
        }
        if (file == null && meta.isPresent() && input.kind().equals("pictures") && images.size() == 1
                && Files.isDirectory(images.get(0))) {
            return folderLabels(input, meta.get());
        }
        if (file == null) {
            return null;
        }
        byte[] raw = IdxFile.readLabels(file);
        if (raw.length != input.count()) {
            throw new LosslabException(file + ": " + raw.length + " labels for " + input.count() + " images");
        }
        int[] ids = meta.map(ModelMetadata::classIds).orElse(null);
        int[] positions = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            int label = raw[i] & 0xff;
            int pos = ids == null ? (label < k ? label : -1) : indexOf(ids, label);
            if (pos < 0) {
                String classes = ids == null ? "0.." + (k - 1) : Arrays.toString(ids);
                if (labels != null) {
                    throw new LosslabException(file + ": label " + label + " (image " + i + ") is not one of the model's classes "
                            + classes);
                }
                err.println("note: " + file + " holds classes the model was not trained on (label " + label
                        + "; the model's classes are " + classes + "); accuracy is not computed");
                return null;
            }
            positions[i] = pos;
        }
        return positions;
    }

    /**
     * Labels from class subfolders, as training read them: when every picture sits in a subfolder
     * named after one of the model's classes, its label is that class; otherwise no accuracy.
     */
    static int[] folderLabels(InputImages input, ModelMetadata meta) {
        int[] out = new int[input.count()];
        for (int i = 0; i < input.count(); i++) {
            String rel = input.sources().get(i);
            int slash = rel.indexOf('/');
            if (slash < 0) {
                return null;
            }
            int pos = meta.classNames().indexOf(rel.substring(0, slash));
            if (pos < 0) {
                return null;
            }
            out[i] = pos;
        }
        return out;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
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
