package dev.losslab.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.losslab.LosslabException;
import dev.losslab.data.AtomicFiles;
import dev.losslab.data.ColorMode;
import dev.losslab.data.DataConfig;
import dev.losslab.data.DecodeOptions;
import dev.losslab.data.FashionMnist;
import dev.losslab.data.SourceData;
import dev.losslab.data.SourceProvenance;
import dev.losslab.network.InputShape;
import dev.losslab.tensorboard.RunLog;
import dev.losslab.data.FashionMnistSource;
import dev.losslab.data.Images;
import dev.losslab.data.PreparedData;
import dev.losslab.savedmodel.ModelMetadata;
import dev.losslab.savedmodel.OutputKind;
import dev.losslab.data.PixelScaling;
import dev.losslab.loss.Loss;
import dev.losslab.loss.LossRegistry;
import dev.losslab.metrics.Calibration;
import dev.losslab.metrics.Metrics;
import dev.losslab.train.Device;
import dev.losslab.train.EpochRecord;
import dev.losslab.train.SavedModelExport;
import dev.losslab.train.Trainer;
import dev.losslab.train.TrainingGraph;
import dev.losslab.train.TrainingOptions;
import dev.losslab.tune.ArgmaxRule;
import dev.losslab.tune.Tuner;
import dev.losslab.tune.DecisionRule;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One complete run: data, training, threshold tuning on validation, evaluation on test, and the
 * output folder ({@code run.json}, {@code model/}, probability CSVs, {@code decision-rule.json}).
 * Every file is written atomically; {@code run.json} is written last, so its presence means the run
 * finished.
 */
public final class TrainingRun {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final int EVAL_CHUNK = 1024;

    /** Where and how to run. */
    public record Environment(Path dataDir, Device device, int threads, int interOpThreads, boolean xla, boolean force,
                              boolean tensorboard) {
        public Environment(Path dataDir, Device device, int threads, boolean force) {
            this(dataDir, device, threads, 0, false, force, true);
        }

        public Environment(Path dataDir, Device device, int threads, int interOpThreads, boolean xla, boolean force) {
            this(dataDir, device, threads, interOpThreads, xla, force, true);
        }
    }

    private final PrintStream log;
    /** Seconds this run spent loading its data (NaN when the data were loaded once for a sweep). */
    private double dataLoadSeconds = Double.NaN;
    private static final java.util.concurrent.atomic.AtomicBoolean FIRST_RUN = new java.util.concurrent.atomic.AtomicBoolean(true);
    /** JVM start to the start of this process's work (before any data load); NaN until {@link #markStartup}. */
    private static volatile double startupSeconds = Double.NaN;
    /** Seconds a sweep process spent loading the data its runs share; NaN when none. */
    private static volatile double sharedDataLoadSeconds = Double.NaN;

    /**
     * Marks the end of this process's start-up (JVM, class loading, CLI, config), once: call it when the
     * real work begins, before the data are read. The process's first run reports it as {@code process_start}.
     */
    public static synchronized void markStartup() {
        if (Double.isNaN(startupSeconds)) {
            startupSeconds = (System.currentTimeMillis()
                    - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
        }
    }

    /** The seconds a sweep process spent loading the data all its runs share (its first run reports them). */
    public static void sharedDataLoad(double seconds) {
        sharedDataLoadSeconds = seconds;
    }

    public TrainingRun(PrintStream log) {
        this.log = log;
    }

    /** Loads the data from the environment's data directory and runs {@code config} into {@code out}. */
    public RunRecord execute(RunConfig config, Environment env, Path out) {
        markStartup();
        checkOutputDirectory(out, env.force());
        config.validate();
        // what the machine cannot do, and what the network cannot take, is said before any data are read
        config.precision().check(env.device());
        config.preflight();
        long t0 = System.nanoTime();
        SourceData data = loadData(config.data(), env.dataDir(), log);
        dataLoadSeconds = (System.nanoTime() - t0) / 1e9;
        return execute(config, env, out, data);
    }

    /** The images a config names: its {@code data} block, or Fashion-MNIST from {@code dataDir} and the default places. */
    public static SourceData loadData(DataConfig data, Path dataDir, PrintStream log) {
        return data == null ? new FashionMnistSource(log).load(dataDir).toSourceData() : data.load(log);
    }

    /** Runs {@code config} on already loaded Fashion-MNIST. */
    public RunRecord execute(RunConfig config, Environment env, Path out, FashionMnist data) {
        return execute(config, env, out, data.toSourceData());
    }

    /** Runs {@code config} on already loaded data (lets a sweep or a test share one load). */
    public RunRecord execute(RunConfig config, Environment env, Path out, SourceData data) {
        long start = System.nanoTime();
        Map<String, Double> phases = new LinkedHashMap<>();
        markStartup();
        boolean first = FIRST_RUN.getAndSet(false);
        if (first) {
            // the process's start-up before its work began: JVM, class loading, CLI, config (not the data load)
            phases.put("process_start", startupSeconds);
        }
        if (!Double.isNaN(dataLoadSeconds)) {
            phases.put("data_load", dataLoadSeconds);
        } else if (first && !Double.isNaN(sharedDataLoadSeconds)) {
            phases.put("data_load", sharedDataLoadSeconds); // the load this process's runs share
        }
        checkOutputDirectory(out, env.force());
        config.validate();
        config.precision().check(env.device());
        int k = config.classes().length;
        InputShape input = new InputShape(data.train().height(), data.train().width(), data.train().channels());
        config.model().checkInput(input);
        var network = config.model().resolve(input, k);
        // the config's pixels, else raw for a Keras model file or a network starting with Rescaling (as Keras users feed
        // it), else unit; the SavedModel says which
        PixelScaling scaling = config.model().pixelScaling(network);
        scaling.check(input.channels());
        PreparedData sets = PreparedData.prepare(data, config.dataSpec(), config.seed(), scaling);
        phases.put("data_prepare", (System.nanoTime() - start) / 1e9);
        if (network.strippedActivation() != null) {
            log.println("note: the network's final " + network.strippedActivation() + " is left out of training (losses take "
                    + "logits); the SavedModel outputs probabilities");
        }
        log.println(String.format(Locale.ROOT, "%s: %s, loss %s, %d train / %d validation / %d test images, seed %d, %s",
                config.name(), describeCounts(sets.train()), config.loss(), sets.train().size(),
                sets.validation().size(), sets.test().size(), config.seed(), config.model().describe(input)));
        // class-frequency losses take their weights / priors from the training split
        Loss loss = LossRegistry.create(config.loss(), config.lossParams(), sets.train().classCounts());
        dev.losslab.recipe.Recipe recipe = config.recipe();
        double initialRate = recipe.optimizer().learningRate().initial();
        TrainingOptions options = new TrainingOptions(config.epochs(), config.batchSize(), initialRate,
                config.seed(), env.device(), env.threads(), env.interOpThreads(), env.xla(), config.precision(), recipe);
        boolean outExisted = Files.exists(out);
        RunLog tensorboard = env.tensorboard() ? RunLog.open(out, RunLog.hparams(config.loss(), config.splitName(), config.seed(),
                config.epochs(), config.batchSize(), initialRate, config.precision().configName(),
                config.model().describe(input), data.provenance().kind(), recipe.optimizer().describe(),
                recipe.sampling().configName()), config.name(), initialRate, log) : null;
        long tfStart = System.nanoTime();
        org.tensorflow.TensorFlow.version(); // loads TF's native library (once per process) outside graph_build
        phases.put("tensorflow_start", (System.nanoTime() - tfStart) / 1e9);
        long buildStart = System.nanoTime();
        TrainingGraph fineGraph = null;
        List<dev.losslab.network.Parameter> initial = config.model().initialWeights(network, config.seed());
        int adapt = dev.losslab.network.NormalizationAdapt.layer(network);
        if (adapt >= 0 && initial == null) { // a file's Normalization keeps the file's state
            initial = dev.losslab.network.NormalizationAdapt.adapt(network, adapt,
                    dev.losslab.network.Initializers.initialValues(network, config.seed()), sets.train().pixels(),
                    input.channels());
            log.println("note: " + network.layers().get(adapt).spec().name() + " (Normalization) adapted on the "
                    + sets.train().size() + " training images, as Keras' adapt does");
        }
        try (TrainingGraph firstGraph = new TrainingGraph(config.model(), network, initial, loss, options,
                sets.train().size());
             RunLog tb = tensorboard) {
            TrainingGraph graph = firstGraph;
            long trainStart = System.nanoTime();
            phases.put("graph_build", (trainStart - buildStart) / 1e9);
            Trainer trainer = new Trainer(options, log, tb == null ? e -> { } : tb::epoch);
            List<EpochRecord> history = new java.util.ArrayList<>(trainer.fit(graph, sets.train(), sets.validation()));
            if (config.model().fineTune() != null) {
                fineGraph = fineTune(config, input, k, graph, loss, options, sets, history, log, tb);
                graph = fineGraph;
            }
            double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
            phases.put("training", trainSeconds);
            long evalStart = System.nanoTime();
            float[] valP = graph.probabilities(sets.validation(), EVAL_CHUNK);
            float[] testP = graph.probabilities(sets.test(), EVAL_CHUNK);
            DecisionRule defaultRule = new ArgmaxRule(k);
            long tuneStart = System.nanoTime();
            phases.put("evaluation", (tuneStart - evalStart) / 1e9);
            boolean noValidation = sets.validation().size() == 0;
            RunTuning runTuning = RunTuning.tune(config, valP, sets.validation().labels(), testP, sets.test().labels(), k, log);
            phases.put("tuning", (System.nanoTime() - tuneStart) / 1e9);
            DecisionRule tuned = runTuning.rule();
            RunRecord.Tuning tuning = runTuning.record();

            long exportStart = System.nanoTime();
            Files.createDirectories(out);
            SavedModelExport.export(graph.parameters(), network, out.resolve("model"),
                    metadata(config, tuned, data, input, scaling));
            if (!noValidation) {
                ProbabilityCsv.write(out.resolve("val-probabilities.csv"), sets.validation().labels(), valP, k);
            }
            ProbabilityCsv.write(out.resolve("test-probabilities.csv"), sets.test().labels(), testP, k);
            AtomicFiles.writeString(out.resolve("decision-rule.json"), JSON.writeValueAsString(tuned));

            phases.put("export", (System.nanoTime() - exportStart) / 1e9);
            Map<String, int[]> counts = new LinkedHashMap<>();
            counts.put("train", sets.train().classCounts());
            counts.put("validation", sets.validation().classCounts());
            counts.put("test", sets.test().classCounts());
            RunRecord record = new RunRecord("ok", config,
                    provenance(data),
                    env.device().toString(), env.threads(), counts, history,
                    noValidation ? null : RunMetrics.setMetrics(valP, sets.validation().labels(), k, defaultRule, tuned),
                    RunMetrics.setMetrics(testP, sets.test().labels(), k, defaultRule, tuned),
                    tuned, tuning, trainSeconds, (System.nanoTime() - start) / 1e9, null,
                    RunMetrics.calibration(valP, sets.validation().labels(), testP, sets.test().labels(), k, tuned), data.provenance(),
                    graph.network().layers().stream().map(l -> new RunRecord.NetworkLayer(l.spec().name(), l.spec().className(),
                            l.outputShape(), l.trainableParams() + l.nonTrainableParams(), l.trainableParams())).toList(),
                    phases, dev.losslab.train.OneDnn.state(), new RunRecord.Training(recipe.describe(), history.size(),
                    trainer.stoppedEpoch() > 0 ? trainer.stoppedEpoch() : null,
                    trainer.restoredEpoch() > 0 ? trainer.restoredEpoch() : null));
            if (tb != null) {
                Map<String, Double> finals = new LinkedHashMap<>();
                finals.put("tuned_accuracy", record.test().tuned().accuracy());
                finals.put("default_accuracy", record.test().defaultRule().accuracy());
                finals.put("balanced_accuracy", record.test().tuned().balancedAccuracy());
                finals.put("auc", record.test().auc());
                finals.put("ece", record.calibration().testEce());
                List<String> names = java.util.Arrays.stream(config.classes()).mapToObj(data.classNames()::get).toList();
                tb.finish(out, history.size(), finals, testP, sets.test().labels(), tuned.predict(testP), names);
            }
            AtomicFiles.writeString(out.resolve("run.json"), JSON.writeValueAsString(record));
            log.println(String.format(Locale.ROOT, "test accuracy: tuned %.4f (%s), default %.4f; AUC %.4f -> %s",
                    record.test().tuned().accuracy(), describeShort(tuned), record.test().defaultRule().accuracy(),
                    record.test().auc(), out.resolve("run.json")));
            return record;
        } catch (IOException e) {
            throw new LosslabException("cannot write results to " + out + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // a run that did not finish leaves nothing behind: not even its TensorBoard logs
            deleteQuietly(out.resolve(RunLog.DIR));
            if (!outExisted) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // not empty: something else is there; leave it
                }
            }
            throw e;
        } finally {
            if (fineGraph != null) {
                fineGraph.close();
            }
        }
    }

    /**
     * Keras' transfer-learning guide's second phase: the first phase's weights in a graph of the fine-tuning network
     * (the base unfrozen), a fresh optimizer of the same kind at the phase's constant rate, epochs numbered on.
     */
    private static TrainingGraph fineTune(RunConfig config, InputShape input, int k, TrainingGraph first, Loss loss,
                                          TrainingOptions options, PreparedData sets, List<EpochRecord> history,
                                          PrintStream log, RunLog tb) {
        dev.losslab.network.FineTune ft = config.model().fineTune();
        var net = config.model().resolveFineTune(input, k);
        dev.losslab.recipe.Recipe r = options.recipe();
        double rate = ft.rate(r.optimizer().learningRate().initial());
        dev.losslab.recipe.Recipe recipe = new dev.losslab.recipe.Recipe(r.optimizer().withConstantRate(rate), r.callbacks(),
                r.sampling(), r.augmentation());
        int done = history.size();
        TrainingOptions phase = new TrainingOptions(done + ft.epochs(), options.batchSize(), rate, options.seed(),
                options.device(), options.threads(), options.interOpThreads(), options.xla(), options.precision(), recipe);
        log.println(String.format(Locale.ROOT, "fine-tuning: %,d of %,d parameters trainable (was %,d), %s, epochs %d-%d",
                net.trainableParams(), net.trainableParams() + net.nonTrainableParams(), first.network().trainableParams(),
                recipe.optimizer().describe(), done + 1, done + ft.epochs()));
        TrainingGraph g = new TrainingGraph(config.model(), net, first.parameters(), loss, phase, sets.train().size());
        try {
            history.addAll(new Trainer(phase, log, tb == null ? e -> { } : tb::epoch).initialEpoch(done)
                    .fit(g, sets.train(), sets.validation()));
            return g;
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort
        }
    }


    /** What the SavedModel says about itself: class ids and names, pixel scaling, outputs, network, loss, tuned rule. */
    static ModelMetadata metadata(RunConfig config, DecisionRule tuned, SourceData data, InputShape input,
                                  PixelScaling scaling) {
        List<String> names = java.util.Arrays.stream(config.classes()).mapToObj(data.classNames()::get).toList();
        DecodeOptions decoding = data.provenance().decoding() != null ? data.provenance().decoding()
                : new DecodeOptions(ColorMode.ofChannels(input.channels()), new int[] {input.height(), input.width()},
                        null, false, false);
        return new ModelMetadata(ModelMetadata.FORMAT, config.classes(), names, scaling.configName(),
                OutputKind.PROBABILITIES.configName(), config.model(), config.loss(), tuned,
                new int[] {input.height(), input.width(), input.channels()}, decoding);
    }

    /** Provenance with the source's paths and content hash (Fashion-MNIST: its directory and file hashes). */
    public static Provenance provenance(SourceData data) {
        SourceProvenance p = data.provenance();
        if (p.fileSha256() != null) {
            return Provenance.collect(Path.of(p.paths().get(0)).getParent(), Boolean.TRUE.equals(p.canonical()), p.fileSha256());
        }
        return Provenance.collect(Path.of(p.paths().get(0)), false, Map.of("decoded content", p.contentSha256()));
    }

    /** A rule in a few words: method and thresholds (trees by size only). */
    static String describeShort(DecisionRule rule) {
        if (rule instanceof dev.losslab.tune.TreeRule t) {
            return "tree, " + t.nodes().size() + " nodes, depth <= " + t.maxDepth();
        }
        return describe(rule);
    }

    static String describe(DecisionRule rule) {
        try {
            return JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rule);
        } catch (IOException e) {
            return rule.toString();
        }
    }

    private static String describeCounts(Images images) {
        int[] c = images.classCounts();
        StringBuilder sb = new StringBuilder("classes");
        for (int v : c) {
            sb.append(' ').append(v);
        }
        return sb.toString();
    }

    /** Refuses a non-empty output folder unless {@code force}; a file in its place is always an error. */
    public static void checkOutputDirectory(Path out, boolean force) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new LosslabException(out + " exists and is not a directory");
        }
        if (Files.isDirectory(out) && !force) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new LosslabException(out + " is not empty; choose another --out or pass --force to overwrite");
                }
            } catch (IOException e) {
                throw new LosslabException("cannot read " + out + ": " + e.getMessage());
            }
        }
    }
}
