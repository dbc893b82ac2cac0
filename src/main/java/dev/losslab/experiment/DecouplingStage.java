package dev.losslab.experiment;

import dev.losslab.network.Initializers;
import dev.losslab.network.layers.ResolvedLayer;
import dev.losslab.LosslabException;
import dev.losslab.data.PreparedData;
import dev.losslab.loss.Loss;
import dev.losslab.data.InputShape;
import dev.losslab.network.layers.LayerSpec;
import dev.losslab.network.NetworkSpec;
import dev.losslab.network.Parameter;
import dev.losslab.network.ResolvedNetwork;
import dev.losslab.recipe.Decoupling;
import dev.losslab.recipe.Recipe;
import dev.losslab.recipe.Sampling;
import dev.losslab.tensorboard.RunLog;
import dev.losslab.train.EpochRecord;
import dev.losslab.train.Trainer;
import dev.losslab.train.TrainingGraph;
import dev.losslab.train.TrainingOptions;
import dev.losslab.tune.TauNormalisation;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The decoupling stage of a run ({@link Decoupling}, Kang et al. 2020): after training, the classifier alone is
 * re-balanced, by re-training it on frozen features with class-balanced sampling (cRT) or by tau-normalising its
 * weights (tau chosen on validation). Either way the result is an ordinary network, so evaluation, tuning, the
 * SavedModel and its {@code decide} signature treat it as any other.
 */
final class DecouplingStage {
    /** What the stage did: the graph to evaluate, the chosen tau (tau_norm) and the cRT phase's trainer. */
    record Result(TrainingGraph graph, Double tau, Trainer trainer) {
    }

    private DecouplingStage() {
    }

    /** The classifier: the network's output layer, which must hold weights (a Dense or NormedDense). */
    static ResolvedLayer classifier(ResolvedNetwork net) {
        String out = net.spec().output();
        ResolvedLayer last = net.layers().stream().filter(l -> l.spec().name().equals(out)).findFirst()
                .orElseThrow();
        if (last.weights().isEmpty() || !List.of("Dense", "NormedDense").contains(last.spec().className())) {
            throw new LosslabException("decoupling needs the network to end in a Dense classifier; its output layer '"
                    + out + "' is " + last.spec().className());
        }
        return last;
    }

    /**
     * cRT: every layer but the classifier frozen and in inference mode, the classifier re-initialised (from the seed + 1),
     * {@code d.epochs()} epochs of class-balanced sampling with a fresh optimizer of the run's kind at {@code
     * d.learningRate()}, the run's augmentation and loss, epochs numbered on from {@code history}.
     */
    static Result retrainClassifier(Decoupling d, RunConfig config, InputShape input, int k, TrainingGraph first, Loss loss,
                                    TrainingOptions options, PreparedData sets, List<EpochRecord> history, PrintStream log,
                                    RunLog tb) {
        ResolvedNetwork trained = first.network();
        String head = classifier(trained).spec().name();
        NetworkSpec spec = trained.spec();
        List<LayerSpec> layers = new ArrayList<>();
        for (LayerSpec l : spec.layers()) {
            Map<String, Object> c = new LinkedHashMap<>(l.config());
            boolean isHead = l.name().equals(head);
            c.put("trainable", isHead);
            if (!isHead) {
                c.put("call_training", false); // BatchNormalization on its moving statistics: the features stay as trained
            }
            layers.add(new LayerSpec(l.className(), l.name(), c, l.inbound()));
        }
        ResolvedNetwork net = ResolvedNetwork.resolve(new NetworkSpec(spec.name(), layers, spec.declaredInput(),
                spec.output(), spec.origins()), input, k);
        List<Parameter> fresh = Initializers.initialValues(net, config.seed() + 1);
        List<Parameter> initial = new ArrayList<>();
        for (Parameter p : first.parameters()) {
            Parameter re = p.name().startsWith(head + "/")
                    ? fresh.stream().filter(f -> f.name().equals(p.name())).findFirst().orElseThrow() : p;
            initial.add(re);
        }
        Recipe r = options.recipe();
        Recipe recipe = new Recipe(r.optimizer().withConstantRate(d.learningRate()), List.of(),
                new Sampling("class_balanced", 1), r.augmentation());
        int done = history.size();
        TrainingOptions phase = new TrainingOptions(done + d.epochs(), options.batchSize(), d.learningRate(), options.seed(),
                options.device(), options.threads(), options.interOpThreads(), options.xla(), options.precision(), recipe);
        log.println(String.format(Locale.ROOT, "cRT: classifier '%s' re-initialised and re-trained on frozen features "
                        + "(%,d of %,d parameters trainable), class-balanced sampling, %s, epochs %d-%d", head,
                net.trainableParams(), net.trainableParams() + net.nonTrainableParams(), recipe.optimizer().describe(),
                done + 1, done + d.epochs()));
        TrainingGraph g = new TrainingGraph(config.model(), net, initial, loss, phase, sets.train().size());
        try {
            Trainer trainer = new Trainer(phase, log, tb == null ? e -> { } : tb::epoch).initialEpoch(done);
            history.addAll(trainer.fit(g, sets.train(), sets.validation()));
            return new Result(g, null, trainer);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /**
     * tau-normalisation: tau chosen on the validation logits by the run's objective, then the classifier's kernel
     * and bias of class k divided by ||w_k||^tau in {@code graph} itself.
     */
    static Result tauNormalise(RunConfig config, TrainingGraph graph, PreparedData sets, PrintStream log) {
        ResolvedNetwork net = graph.network();
        ResolvedLayer head = classifier(net);
        if (!head.spec().className().equals("Dense")) {
            throw new LosslabException("tau_norm needs a Dense classifier; '" + head.spec().name() + "' is "
                    + head.spec().className() + " (its weights are normalised already)");
        }
        if (sets.validation().size() == 0) {
            throw new LosslabException("tau_norm chooses tau on validation; validationFraction is 0");
        }
        int k = graph.numClasses();
        String kernelName = head.spec().name() + "/kernel";
        String biasName = head.spec().name() + "/bias";
        List<Parameter> params = graph.parameters();
        int kernelAt = indexOf(params, kernelName);
        int biasAt = indexOf(params, biasName);
        float[] kernel = params.get(kernelAt).values();
        int inputs = kernel.length / k;
        double[] norms = TauNormalisation.classNorms(kernel, inputs, k);
        float[] valLogits = graph.logits(sets.validation(), TrainingRun.EVAL_CHUNK);
        double tau = TauNormalisation.choose(valLogits, sets.validation().labels(), norms, config.tuningObjective());
        double[] div = TauNormalisation.divisors(norms, tau);
        List<float[]> weights = graph.weights();
        // graph.weights() and graph.parameters() list the model's variables in the same order
        float[] w = weights.get(kernelAt).clone();
        for (int i = 0; i < inputs; i++) {
            for (int c = 0; c < k; c++) {
                w[i * k + c] = (float) (w[i * k + c] / div[c]);
            }
        }
        weights.set(kernelAt, w);
        if (biasAt >= 0) {
            float[] b = weights.get(biasAt).clone();
            for (int c = 0; c < k; c++) {
                b[c] = (float) (b[c] / div[c]);
            }
            weights.set(biasAt, b);
        }
        graph.restoreWeights(weights);
        StringBuilder ns = new StringBuilder();
        for (int c = 0; c < k; c++) {
            ns.append(c == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", norms[c]));
        }
        log.println(String.format(Locale.ROOT, "tau-normalisation: tau %.2f chosen on validation %s (classifier norms %s)",
                tau, config.tuningObjective().name(), ns));
        return new Result(graph, tau, null);
    }

    private static int indexOf(List<Parameter> params, String name) {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).name().equals(name)) {
                return i;
            }
        }
        if (name.endsWith("/kernel")) {
            throw new LosslabException("tau_norm: no weight '" + name + "' in the network");
        }
        return -1;
    }
}
