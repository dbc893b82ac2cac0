package dev.losslab.experiment;

import dev.losslab.data.DataConfig;
import dev.losslab.data.Imbalance;
import dev.losslab.metrics.Objective;
import dev.losslab.kerasfile.KerasModelFile;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.losslab.recipe.Adam;
import dev.losslab.recipe.Augmentation;
import dev.losslab.recipe.Callback;
import dev.losslab.recipe.Decoupling;
import dev.losslab.recipe.Optimizer;
import dev.losslab.recipe.Recipe;
import dev.losslab.recipe.Sampling;
import dev.losslab.tune.CrossFitting;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import dev.losslab.data.DataSpec;
import dev.losslab.loss.LossRegistry;
import dev.losslab.data.InputShape;
import dev.losslab.network.ModelSpec;
import dev.losslab.train.Precision;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.losslab.tune.DecisionTreeTuner;
import dev.losslab.tune.SimplexSearch;
import dev.losslab.tune.TuningMethod;
import dev.losslab.tune.Tuner;

/**
 * One training run as written in a JSON config: which data, which loss, how to train. Fields left
 * out take the notebook's / Keras' defaults (batch 32, Adam lr 1e-3, 20% validation).
 *
 * @param classes class ids in label order: Fashion-MNIST ids, or positions in the {@code data} source's
 *                class list (default for own data: all of them)
 * @param distribution class proportions (sum 1), or null when {@code keepFractions} is given
 * @param keepFractions per-class fraction kept, or null when {@code distribution} is given
 * @param lossParams loss parameters by name, e.g. {"margin": 1.0}
 * @param tuning decision-rule methods fitted on validation (argmax is always added); default
 *               grid for K = 2, tree + absolute + relative for K > 2
 * @param search threshold-vector search for absolute/relative: exhaustive (default for K = 3),
 *               random, or refine (default for K > 3)
 * @param model the network; default the notebook's (padding "same", see {@link ModelSpec})
 * @param precision fp32 (default) or bf16 mixed precision on CPUs that have it ({@link Precision})
 * @param objective what tuning maximises on validation: accuracy (default), balanced_accuracy,
 *                  macro_f1 or cost (with {@code costMatrix}, K x K, [true][predicted])
 * @param imbalance the long-tail rule instead of distribution/keepFractions (test set untouched)
 * @param data the images ({@link DataConfig}); null: Fashion-MNIST
 * @param optimizer a Keras optimizer, e.g. {"SGD": {"learning_rate": 0.1, "momentum": 0.9}} ({@link
 *                  Optimizer}); null: Adam at {@code learningRate}
 * @param callbacks Keras callbacks, e.g. [{"EarlyStopping": {"patience": 5}}] ({@link Callback})
 * @param sampling uniform (default), class_balanced, square_root, or {"type": ..., "fromEpoch": N}
 * @param augmentation Keras preprocessing layers in front of the network, training only ({@link
 *                     Augmentation})
 * @param recipeName the name a sweep that varies the optimizer gives this run's ({@code sgd}, {@code adamw}); null
 * @param selectionFolds how tuning chooses among its methods: null or 0 by the score on the validation set each was
 *                       fitted to, 2 or more by cross-fitting over that many stratified validation folds
 *                       ({@link CrossFitting})
 * @param decoupling a stage after training that re-balances the classifier only ({@link Decoupling}:
 *                   {@code crt} or {@code tau_norm}); null: none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@com.fasterxml.jackson.annotation.JsonIgnoreProperties({"onednn"}) // a process setting, read by the CLI (--onednn)
public record RunConfig(String name, int[] classes, double[] distribution, double[] keepFractions, String loss,
                        Map<String, Object> lossParams, Integer epochs, Integer batchSize, Double learningRate,
                        Long seed, Double validationFraction, List<String> tuning, String search, Double searchStep,
                        Integer searchSamples, ModelSpec model, Precision precision, String objective,
                        double[][] costMatrix, Imbalance imbalance, DataConfig data,
                        com.fasterxml.jackson.databind.JsonNode optimizer, com.fasterxml.jackson.databind.JsonNode callbacks,
                        com.fasterxml.jackson.databind.JsonNode sampling,
                        com.fasterxml.jackson.databind.JsonNode augmentation, String recipeName, Integer selectionFolds,
                        Decoupling decoupling) {

    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public RunConfig {
        name = name == null ? "run" : name;
        loss = loss == null ? "crossentropy" : loss;
        lossParams = lossParams == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(lossParams));
        epochs = epochs == null ? 10 : epochs;
        batchSize = batchSize == null ? 32 : batchSize;
        // learningRate is Adam's shorthand: null when an optimizer is given (recipe() refuses both)
        learningRate = learningRate == null && (optimizer == null || optimizer.isNull()) ? Double.valueOf(Adam.DEFAULT_LEARNING_RATE) : learningRate;
        seed = seed == null ? 1L : seed;
        validationFraction = validationFraction == null ? 0.2 : validationFraction;
        if (classes == null && data != null) {
            // own data: every class of the source, in its order (listing only, nothing decoded)
            classes = java.util.stream.IntStream.range(0, data.sourceClassNames().size()).toArray();
        }
        int k = classes == null ? 2 : classes.length;
        tuning = tuning == null ? (k == 2 ? List.of("grid") : List.of("tree", "absolute", "relative")) : List.copyOf(tuning);
        search = search == null ? (k <= 3 ? "exhaustive" : "refine") : search;
        searchStep = searchStep == null ? 0.01 : searchStep;
        searchSamples = searchSamples == null ? 2000 : searchSamples;
        model = model == null ? ModelSpec.NOTEBOOK : model;
        precision = precision == null ? Precision.FP32 : precision;
        objective = objective == null ? "accuracy" : objective;
    }

    /**
     * The run's method as sweeps and reports name it: its loss, {@code +sampler} when it re-samples
     * ({@code crossentropy+class_balanced-from160}), {@code +crt} or {@code +tau_norm} when a decoupling stage follows
     * training, and {@code +optimizer} when its sweep varies the optimizer.
     */
    public String method() {
        String m = loss;
        if (sampling != null && !sampling.isNull()) {
            var s = Sampling.parse("sampling", sampling, epochs);
            m = s.type().equals("uniform") ? m : m + "+" + s.configName();
        }
        m = decoupling == null ? m : m + "+" + decoupling.method();
        return recipeName == null ? m : m + "+" + recipeName;
    }

    /** The training recipe: optimizer, callbacks, sampler ({@link Recipe}), checked. */
    public Recipe recipe() {
        // augmentation acts on what the network is fed: 0..255 when it starts with Rescaling, else 0..1
        var layers = model.network(classes == null ? 2 : classes.length).layers();
        double pixelMax = !layers.isEmpty() && layers.get(0).className().equals("Rescaling") ? 255 : 1;
        return Recipe.parse(learningRate, optimizer, callbacks, sampling, augmentation, epochs,
                validationFraction > 0, pixelMax);
    }

    /**
     * This config as run.json records it: the Keras objects it names (optimizer, callbacks, augmentation) written back
     * in full by their classes (every argument, Keras' defaults included, as {@code get_config} writes them), so the
     * record says exactly what ran and {@code train --config run.json} re-runs it. Fields the config left out stay
     * out (the {@code learningRate} shorthand for Adam stays as given).
     */
    public RunConfig writtenBack() {
        Recipe r = recipe();
        RunConfig c = this;
        if (optimizer != null && !optimizer.isNull()) {
            c = c.with("optimizer", r.optimizer().toConfig());
        }
        if (callbacks != null && !callbacks.isNull()) {
            ArrayNode list = JSON.createArrayNode();
            r.callbacks().forEach(cb -> list.add(cb.toConfig()));
            c = c.with("callbacks", list);
        }
        if (augmentation != null && !augmentation.isNull()) {
            c = c.with("augmentation", r.augmentation().toConfig());
        }
        return c;
    }

    /** The tuning objective, checked against K. */
    public Objective tuningObjective() {
        return Objective.parse(objective, costMatrix, classes == null ? 2 : classes.length);
    }

    /** Tuning settings: argmax plus the configured methods, in simplicity order. */
    public Tuner.Settings tuningSettings() {
        int k = classes.length;
        List<TuningMethod> methods = new java.util.ArrayList<>(List.of(TuningMethod.ARGMAX));
        for (String name : tuning) {
            TuningMethod m = TuningMethod.parse(name);
            if (!m.appliesTo(k)) {
                throw new LosslabException("tuning method '" + name + "' does not apply to " + k + " classes (valid: "
                        + TuningMethod.allFor(k).stream().map(TuningMethod::configName).toList() + ")");
            }
            if (!methods.contains(m)) {
                methods.add(m);
            }
        }
        methods.sort(java.util.Comparator.naturalOrder());
        if (selectionFolds != null && selectionFolds != 0 && selectionFolds < 2) {
            throw new LosslabException("selectionFolds must be 0 (choose on the validation fit) or at least 2 (got "
                    + selectionFolds + ")");
        }
        return new Tuner.Settings(methods, new SimplexSearch.Options(SimplexSearch.Strategy.parse(search), searchStep,
                searchSamples, seed), DecisionTreeTuner.Options.crossValidated(seed), tuningObjective(),
                selectionFolds == null ? 0 : selectionFolds);
    }

    /** Reads and validates a config file; every problem is one line naming the file. */
    /**
     * Reads a run config, or a run's own {@code run.json} (its recorded {@code config}), so a run can be re-run from its
     * record: {@code train --config results/x/runs/y/run.json}.
     */
    public static RunConfig load(Path file) {
        return ConfigFile.read(file, RunConfig.class, RunConfig::validate, RunConfig::recordedConfig);
    }

    /** The {@code config} of a run.json (an object with {@code status}, {@code config} and {@code provenance}), else the node. */
    static com.fasterxml.jackson.databind.JsonNode recordedConfig(com.fasterxml.jackson.databind.JsonNode root) {
        if (root != null && root.isObject() && root.path("status").isTextual() && root.path("config").isObject()
                && root.has("provenance")) {
            return root.get("config");
        }
        return root;
    }

    /** Checks every field; throws a one-line {@link LosslabException} naming the first problem. */
    public RunConfig validate() {
        if (data == null) {
            dataSpec().validate();
        } else {
            data.validate();
            dataSpec().validate(data.sourceClassNames().size(), "class ids (positions in the source's class list "
                    + data.sourceClassNames().size() + ")");
        }
        int[] perClass = new int[classes == null ? 2 : classes.length];
        java.util.Arrays.fill(perClass, 1); // stands in for the training counts: checks per-class list lengths
        LossRegistry.create(loss, lossParams, perClass);
        // the network's layers, activations and initializers are checked before any data are read
        model.network(perClass.length);
        if (epochs < 1) {
            throw new LosslabException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new LosslabException("batchSize must be >= 1, got " + batchSize);
        }
        recipe();
        if (tuning.isEmpty()) {
            throw new LosslabException("tuning: give at least one method (valid: grid, tree, absolute, relative)");
        }
        tuningSettings();
        if (decoupling != null) {
            if (decoupling.method().equals(Decoupling.TAU_NORM) && perClass.length < 3) {
                throw new LosslabException("decoupling tau_norm needs K >= 3 classes (a softmax classifier; two classes "
                        + "have one sigmoid unit)");
            }
            if (model.fineTune() != null) {
                throw new LosslabException("decoupling and model.fineTune are two second phases; give one");
            }
        }
        return this;
    }

    /**
     * What can be checked before any image is decoded, when the images' shape is known from the config (Fashion-MNIST,
     * a folder with imageSize, CIFAR-10) or the network declares its input: the network resolves for that shape
     * (output units against the classes, the declared input against the data's), the pixel mode fits the channels,
     * and a Keras file's weights fit the network (shapes only, values unread).
     */
    public RunConfig preflight() {
        InputShape shape = data == null ? InputShape.FASHION_MNIST : data.knownInputShape();
        int k = classes == null ? 2 : classes.length;
        if (shape == null) {
            int[] d = model.isNotebook() ? null : model.network(k).declaredInput();
            if (d == null || d[0] < 1 || d[1] < 1 || d[2] < 1) {
                return this;
            }
            shape = new InputShape(d[0], d[1], d[2]);
        }
        model.checkInput(shape);
        var net = model.resolve(shape, k);
        model.pixelScaling(net).check(shape.channels());
        if (model.startsFromFile()) {
            KerasModelFile.checkShapes(java.nio.file.Path.of(model.keras()),
                    model.weights() instanceof String w ? java.nio.file.Path.of(w) : null, net);
        }
        return this;
    }

    /** The split this run's balance names, as its sweep does ("90-10", "keep90-...", "exp100", "all"). */
    public String splitName() {
        return splitName(distribution, keepFractions, imbalance);
    }

    static String splitName(double[] distribution, double[] keepFractions, Imbalance imbalance) {
        if (distribution != null) {
            return ExperimentConfig.splitName(distribution, false);
        }
        if (keepFractions != null) {
            return ExperimentConfig.splitName(keepFractions, true);
        }
        return imbalance != null ? imbalance.splitName() : "all";
    }

    public DataSpec dataSpec() {
        return new DataSpec(classes, distribution, keepFractions, imbalance, validationFraction);
    }

    public RunConfig withLoss(String newLoss) {
        return with("loss", newLoss);
    }

    public RunConfig withEpochs(int newEpochs) {
        return with("epochs", newEpochs);
    }

    /** The same run tuned for another objective (no cost matrix). */
    public RunConfig withObjective(String newObjective) {
        return with("objective", newObjective).with("costMatrix", null);
    }

    public RunConfig withPrecision(Precision newPrecision) {
        return with("precision", newPrecision);
    }

    public RunConfig withSeed(long newSeed) {
        return with("seed", newSeed);
    }

    private static final java.lang.reflect.RecordComponent[] FIELDS = RunConfig.class.getRecordComponents();

    /** This config with one field replaced (the one place that lists every field is the record itself). */
    private RunConfig with(String field, Object value) {
        try {
            Object[] args = new Object[FIELDS.length];
            Class<?>[] types = new Class<?>[FIELDS.length];
            boolean found = false;
            for (int i = 0; i < FIELDS.length; i++) {
                types[i] = FIELDS[i].getType();
                found |= FIELDS[i].getName().equals(field);
                args[i] = FIELDS[i].getName().equals(field) ? value : FIELDS[i].getAccessor().invoke(this);
            }
            if (!found) {
                throw new IllegalArgumentException("RunConfig has no field " + field);
            }
            return RunConfig.class.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}

