package dev.losslab.experiment;

import dev.losslab.network.FineTune;
import dev.losslab.network.Initializers;
import dev.losslab.network.NormalizationAdapt;
import dev.losslab.network.Parameter;
import dev.losslab.network.ResolvedNetwork;
import dev.losslab.recipe.Decoupling;
import dev.losslab.recipe.Recipe;
import dev.losslab.train.OneDnn;
import dev.losslab.tune.DecisionRules;
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
import dev.losslab.data.InputShape;
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
import dev.losslab.util.OwnedFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One complete run: data, training, threshold tuning on validation, evaluation on test, and the
 * output folder ({@code run.json}, {@code model/}, probability CSVs, {@code decision-rule.json}).
 * Everything is written into a hidden, marked sibling folder and moved to the output's name at the end
 * ({@link OwnedFolder}), so the name holds a complete run or nothing, whatever stops the run (a full disk, kill -9);
 * {@code run.json} is written last, so its presence means the run finished.
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

    /** A test's hook before each write of a run's outputs (by name), to inject a failure there; a no-op otherwise. */
    interface WriteHook {
        void before(String what) throws IOException;
    }

    static volatile WriteHook writeHook = w -> { };

    private static void beforeWrite(String what) throws IOException {
        writeHook.before(what);
    }

    public TrainingRun(PrintStream log) {
        this.log = log;
    }

    /** Loads the data from the environment's data directory and runs {@code config} into {@code out}. */
    public RunRecord execute(RunConfig config, Environment env, Path out) {
        markStartup();
        OwnedFolder.checkOutput("--out", out, env.force(), env.dataDir());
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
        Map<String, Double> phases = startPhases();
        Prepared run = prepare(config, env, out, data, start, phases);
        // everything is written into a hidden sibling and moved to --out at the end: a failure at any point (a full
        // disk, kill -9) leaves the complete run or nothing there
        Path work = workFolder(out);
        RunLog tensorboard = openTensorBoard(run, env, data, work);
        long tfStart = System.nanoTime();
        org.tensorflow.TensorFlow.version(); // loads TF's native library (once per process) outside graph_build
        phases.put("tensorflow_start", (System.nanoTime() - tfStart) / 1e9);
        long buildStart = System.nanoTime();
        List<Parameter> initial = initialWeights(run);
        RunRecord record;
        Trained trained = null;
        try (TrainingGraph firstGraph = new TrainingGraph(config.model(), run.network(), initial, run.loss(), run.options(),
                run.sets().train().size());
             RunLog tb = tensorboard) {
            long trainStart = System.nanoTime();
            phases.put("graph_build", (trainStart - buildStart) / 1e9);
            trained = train(run, firstGraph, tb);
            double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
            phases.put("training", trainSeconds);
            long evalStart = System.nanoTime();
            float[] valP = trained.graph().probabilities(run.sets().validation(), EVAL_CHUNK);
            float[] testP = trained.graph().probabilities(run.sets().test(), EVAL_CHUNK);
            long tuneStart = System.nanoTime();
            phases.put("evaluation", (tuneStart - evalStart) / 1e9);
            RunTuning tuning = RunTuning.tune(config, valP, run.sets().validation().labels(), testP,
                    run.sets().test().labels(), run.k(), log);
            phases.put("tuning", (System.nanoTime() - tuneStart) / 1e9);
            long exportStart = System.nanoTime();
            export(run, data, trained.graph(), tuning.rule(), valP, testP, work);
            phases.put("export", (System.nanoTime() - exportStart) / 1e9);
            record = record(run, env, data, trained, tuning, valP, testP, trainSeconds, start, phases);
            if (tb != null) {
                finishTensorBoard(tb, run, data, record, trained, tuning.rule(), testP, work);
            }
            beforeWrite("run.json");
            AtomicFiles.writeString(work.resolve("run.json"), JSON.writeValueAsString(record));
        } catch (IOException e) {
            OwnedFolder.deleteQuietly(work);
            throw LosslabException.writing("cannot write results to " + out, e);
        } catch (RuntimeException e) {
            // a run that did not finish leaves nothing behind: not even its TensorBoard logs
            OwnedFolder.deleteQuietly(work);
            throw inUsersWords(e, work, out);
        } finally {
            if (trained != null && trained.secondGraph() != null) {
                trained.secondGraph().close();
            }
        }
        publish(work, out);
        log.println(String.format(Locale.ROOT, "test accuracy: tuned %.4f (%s), default %.4f; AUC %.4f -> %s",
                record.test().tuned().accuracy(), describeShort(record.rule()), record.test().defaultRule().accuracy(),
                record.test().auc(), out.resolve("run.json")));
        return record;
    }

    /** What a run is set up with before any graph exists: classes, shapes, network, pixels, the sets, loss and recipe. */
    private record Prepared(RunConfig config, int k, InputShape input, ResolvedNetwork network, PixelScaling scaling,
                            PreparedData sets, Loss loss, Recipe recipe, TrainingOptions options) {
    }

    /** What training gave: the graph to evaluate, the history, each phase's record, tau (tau_norm) and a second graph. */
    private record Trained(TrainingGraph graph, List<EpochRecord> history, List<RunRecord.Phase> phases, Double tau,
                           TrainingGraph secondGraph) {
    }

    /** The process's start-up and data load, for the process's first run. */
    private Map<String, Double> startPhases() {
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
        return phases;
    }

    /** Checks the output and the config, resolves the network for the data, prepares the sets, the loss and the recipe. */
    private Prepared prepare(RunConfig config, Environment env, Path out, SourceData data, long start,
                             Map<String, Double> phases) {
        List<Path> inputs = new java.util.ArrayList<>();
        if (env.dataDir() != null) {
            inputs.add(env.dataDir());
        }
        if (data.provenance() != null && data.provenance().paths() != null) {
            data.provenance().paths().forEach(p -> inputs.add(Path.of(p)));
        }
        OwnedFolder.checkOutput("--out", out, env.force(), inputs.toArray(Path[]::new));
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
        Recipe recipe = config.recipe();
        double initialRate = recipe.optimizer().learningRate().initial();
        TrainingOptions options = new TrainingOptions(config.epochs(), config.batchSize(), initialRate,
                config.seed(), env.device(), env.threads(), env.interOpThreads(), env.xla(), config.precision(), recipe);
        return new Prepared(config, k, input, network, scaling, sets, loss, recipe, options);
    }

    /** The hidden, marked sibling of {@code out} the run is written into. */
    private static Path workFolder(Path out) {
        try {
            return OwnedFolder.createTemporarySibling(out);
        } catch (IOException e) {
            throw LosslabException.writing("cannot write results to " + out, e);
        }
    }

    /** The run's TensorBoard logs in {@code work}, with its HParams session started; null when turned off. */
    private RunLog openTensorBoard(Prepared run, Environment env, SourceData data, Path work) {
        if (!env.tensorboard()) {
            return null;
        }
        RunConfig config = run.config();
        double initialRate = run.options().learningRate();
        return RunLog.open(work, RunLog.hparams(config.loss(), config.splitName(), config.seed(), config.epochs(),
                config.batchSize(), initialRate, config.precision().configName(), config.model().describe(run.input()),
                data.provenance().kind(), run.recipe().optimizer().describe(), run.recipe().sampling().configName()),
                config.name(), initialRate, log);
    }

    /** The starting weights: a Keras file's, or null (the seed's initializers), with a Normalization layer adapted. */
    private List<Parameter> initialWeights(Prepared run) {
        RunConfig config = run.config();
        ResolvedNetwork network = run.network();
        List<Parameter> initial = config.model().initialWeights(network, config.seed());
        int adapt = NormalizationAdapt.layer(network);
        if (adapt >= 0 && initial == null) { // a file's Normalization keeps the file's state
            initial = NormalizationAdapt.adapt(network, adapt, Initializers.initialValues(network, config.seed()),
                    run.sets().train().pixels(), run.input().channels());
            log.println("note: " + network.layers().get(adapt).spec().name() + " (Normalization) adapted on the "
                    + run.sets().train().size() + " training images, as Keras' adapt does");
        }
        return initial;
    }

    /**
     * The training phases: the recipe's epochs, then Keras' fine-tuning phase or a decoupling stage (Kang et al. 2020:
     * the classifier alone re-balanced on the trained features) when the config asks.
     */
    private Trained train(Prepared run, TrainingGraph first, RunLog tb) {
        RunConfig config = run.config();
        PreparedData sets = run.sets();
        TrainingGraph graph = first;
        TrainingGraph second = null;
        Trainer trainer = new Trainer(run.options(), log, tb == null ? e -> { } : tb::epoch);
        List<EpochRecord> history = new java.util.ArrayList<>(trainer.fit(graph, sets.train(), sets.validation()));
        List<RunRecord.Phase> phases = new java.util.ArrayList<>();
        phases.add(phase("train", 1, history.size(), trainer));
        try {
            if (config.model().fineTune() != null) {
                int done = history.size();
                Trainer fineTrainer = fineTuneTrainer(run.options(), config, log, tb, done);
                second = fineTune(config, run.input(), run.k(), graph, run.loss(), fineTrainer, sets, history, log);
                graph = second;
                phases.add(phase("fine_tune", done + 1, history.size(), fineTrainer));
            }
            Double tau = null;
            if (config.decoupling() != null) {
                var d = config.decoupling();
                if (d.method().equals(Decoupling.CRT)) {
                    int done = history.size();
                    var crt = DecouplingStage.retrainClassifier(d, config, run.input(), run.k(), graph, run.loss(),
                            run.options(), sets, history, log, tb);
                    second = crt.graph();
                    graph = second;
                    phases.add(phase("crt", done + 1, history.size(), crt.trainer()));
                } else {
                    tau = DecouplingStage.tauNormalise(config, graph, sets, log).tau();
                }
            }
            return new Trained(graph, history, phases, tau, second);
        } catch (RuntimeException e) {
            if (second != null) {
                second.close();
            }
            throw e;
        }
    }

    /** The SavedModel (with its metadata and decide signature), the probability CSVs and the rule, into {@code work}. */
    private static void export(Prepared run, SourceData data, TrainingGraph graph, DecisionRule tuned, float[] valP,
                               float[] testP, Path work) throws IOException {
        PreparedData sets = run.sets();
        beforeWrite("model");
        SavedModelExport.export(graph.parameters(), run.network(), work.resolve("model"),
                metadata(run.config(), tuned, data, run.input(), run.scaling()));
        if (sets.validation().size() > 0) {
            beforeWrite("val-probabilities.csv");
            ProbabilityCsv.write(work.resolve("val-probabilities.csv"), sets.validation().labels(), valP, run.k());
        }
        beforeWrite("test-probabilities.csv");
        ProbabilityCsv.write(work.resolve("test-probabilities.csv"), sets.test().labels(), testP, run.k());
        beforeWrite("decision-rule.json");
        AtomicFiles.writeString(work.resolve("decision-rule.json"), JSON.writeValueAsString(tuned));
    }

    /** The run's record: config, provenance, counts, history, metrics under both rules, calibration, timing, training. */
    private RunRecord record(Prepared run, Environment env, SourceData data, Trained trained, RunTuning tuning, float[] valP,
                             float[] testP, double trainSeconds, long start, Map<String, Double> phases) {
        PreparedData sets = run.sets();
        int k = run.k();
        DecisionRule defaultRule = new ArgmaxRule(k);
        DecisionRule tuned = tuning.rule();
        boolean noValidation = sets.validation().size() == 0;
        Map<String, int[]> counts = new LinkedHashMap<>();
        counts.put("train", sets.train().classCounts());
        counts.put("validation", sets.validation().classCounts());
        counts.put("test", sets.test().classCounts());
        RunRecord.Phase stopped = trained.phases().stream().filter(p -> p.stoppedEpoch() != null).reduce((a, b) -> b)
                .orElse(null);
        RunRecord.Phase restored = trained.phases().stream().filter(p -> p.restoredEpoch() != null).reduce((a, b) -> b)
                .orElse(null);
        return new RunRecord("ok", run.config().writtenBack(), provenance(data), env.device().toString(), env.threads(), counts,
                trained.history(),
                noValidation ? null : RunMetrics.setMetrics(valP, sets.validation().labels(), k, defaultRule, tuned),
                RunMetrics.setMetrics(testP, sets.test().labels(), k, defaultRule, tuned),
                tuned, tuning.record(), trainSeconds, (System.nanoTime() - start) / 1e9, null,
                RunMetrics.calibration(valP, sets.validation().labels(), testP, sets.test().labels(), k, tuned),
                data.provenance(),
                trained.graph().network().layers().stream().map(l -> new RunRecord.NetworkLayer(l.spec().name(),
                        l.spec().className(), l.outputShape(), l.trainableParams() + l.nonTrainableParams(),
                        l.trainableParams())).toList(),
                phases, OneDnn.state(), new RunRecord.Training(run.recipe().describe(), trained.history().size(),
                        stopped == null ? null : stopped.stoppedEpoch(), restored == null ? null : restored.restoredEpoch(),
                        trained.phases().size() > 1 ? trained.phases() : null, trained.tau()));
    }

    /** The final test metrics, the reliability diagram and the tuned confusion matrix, and the session's end. */
    private static void finishTensorBoard(RunLog tb, Prepared run, SourceData data, RunRecord record, Trained trained,
                                          DecisionRule tuned, float[] testP, Path work) {
        Map<String, Double> finals = new LinkedHashMap<>();
        finals.put("tuned_accuracy", record.test().tuned().accuracy());
        finals.put("default_accuracy", record.test().defaultRule().accuracy());
        finals.put("balanced_accuracy", record.test().tuned().balancedAccuracy());
        finals.put("auc", record.test().auc());
        finals.put("ece", record.calibration().testEce());
        List<String> names = java.util.Arrays.stream(run.config().classes()).mapToObj(data.classNames()::get).toList();
        tb.finish(work, trained.history().size(), finals, testP, run.sets().test().labels(), tuned.predict(testP), names);
    }

    /** A failure naming the hidden folder the run was written into, said with the folder the user named. */
    private static RuntimeException inUsersWords(RuntimeException e, Path work, Path out) {
        String hidden = work.toString();
        if (!(e instanceof LosslabException) || e.getMessage() == null || !e.getMessage().contains(hidden)) {
            return e;
        }
        String m = e.getMessage().replace(hidden, out.toAbsolutePath().normalize().toString());
        return e instanceof LosslabException.DiskFull ? new LosslabException.DiskFull(m, e) : new LosslabException(m, e);
    }

    /** Moves the finished run into {@code out}; on failure nothing is left of it. */
    private static void publish(Path work, Path out) {
        try {
            beforeWrite("publish");
            OwnedFolder.publish(work, out);
        } catch (IOException e) {
            OwnedFolder.deleteQuietly(work);
            throw LosslabException.writing("cannot move the finished run into " + out, e);
        }
    }

    /** A phase's record from its trainer: epochs first..last and where it stopped early and whose weights it kept. */
    private static RunRecord.Phase phase(String name, int first, int last, Trainer t) {
        return new RunRecord.Phase(name, first, last, t.stoppedEpoch() > 0 ? t.stoppedEpoch() : null,
                t.restoredEpoch() > 0 ? t.restoredEpoch() : null);
    }

    /** The fine-tuning phase's options: a fresh optimizer of the same kind at the phase's constant rate, epochs numbered on. */
    private static TrainingOptions fineTuneOptions(TrainingOptions options, RunConfig config, int done) {
        FineTune ft = config.model().fineTune();
        Recipe r = options.recipe();
        double rate = ft.rate(r.optimizer().learningRate().initial());
        Recipe recipe = new Recipe(r.optimizer().withConstantRate(rate), r.callbacks(),
                r.sampling(), r.augmentation());
        return new TrainingOptions(done + ft.epochs(), options.batchSize(), rate, options.seed(),
                options.device(), options.threads(), options.interOpThreads(), options.xla(), options.precision(), recipe);
    }

    private static Trainer fineTuneTrainer(TrainingOptions options, RunConfig config, PrintStream log, RunLog tb, int done) {
        return new Trainer(fineTuneOptions(options, config, done), log, tb == null ? e -> { } : tb::epoch).initialEpoch(done);
    }

    /**
     * Keras' transfer-learning guide's second phase: the first phase's weights in a graph of the fine-tuning network
     * (the base unfrozen), trained by {@code trainer} (a fresh optimizer of the same kind at the phase's constant rate,
     * epochs numbered on).
     */
    private static TrainingGraph fineTune(RunConfig config, InputShape input, int k, TrainingGraph first, Loss loss,
                                          Trainer trainer, PreparedData sets, List<EpochRecord> history, PrintStream log) {
        FineTune ft = config.model().fineTune();
        var net = config.model().resolveFineTune(input, k);
        int done = history.size();
        TrainingOptions phase = trainer.options();
        log.println(String.format(Locale.ROOT, "fine-tuning: %,d of %,d parameters trainable (was %,d), %s, epochs %d-%d",
                net.trainableParams(), net.trainableParams() + net.nonTrainableParams(), first.network().trainableParams(),
                phase.recipe().optimizer().describe(), done + 1, done + ft.epochs()));
        TrainingGraph g = new TrainingGraph(config.model(), net, first.parameters(), loss, phase, sets.train().size());
        try {
            history.addAll(trainer.fit(g, sets.train(), sets.validation()));
            return g;
        } catch (RuntimeException e) {
            g.close();
            throw e;
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

    /** A rule in a few words: method and thresholds (trees by size only), as every printout gives it. */
    static String describeShort(DecisionRule rule) {
        return DecisionRules.describe(rule);
    }

    private static String describeCounts(Images images) {
        int[] c = images.classCounts();
        StringBuilder sb = new StringBuilder("classes");
        for (int v : c) {
            sb.append(' ').append(v);
        }
        return sb.toString();
    }

    /**
     * Refuses a non-empty output folder unless {@code force}, and with it anything losslab did not write, the working
     * folder and a folder holding the data (see {@link OwnedFolder#checkOutput}); a file in its place is always an error.
     */
    public static void checkOutputDirectory(Path out, boolean force) {
        OwnedFolder.checkOutput("--out", out, force);
    }
}
