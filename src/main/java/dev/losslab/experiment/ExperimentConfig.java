package dev.losslab.experiment;

import dev.losslab.data.DataConfig;
import dev.losslab.data.Imbalance;
import dev.losslab.recipe.Decoupling;
import dev.losslab.recipe.Sampling;
import dev.losslab.LosslabException;
import dev.losslab.network.ModelSpec;
import dev.losslab.train.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep as written in {@code configs/*.json}: every (split, loss, seed) combination becomes one
 * {@link RunConfig}. A split is a class distribution ({@code distributions}) or a per-class keep
 * fraction list ({@code keepFractions}); each seed changes data sampling, split and initialisation.
 *
 * @param lossParams parameters per loss name, e.g. {"pairwise_hinge": {"margin": 1.0}}
 * @param model the network for every run, e.g. {"padding": "valid"}; default the notebook's
 * @param precision fp32 (default) or bf16 for every run
 * @param objective the tuning objective for every run (see {@link RunConfig}); costMatrix for "cost"
 * @param selectionFolds how every run's tuning chooses among its methods (see {@link RunConfig}); null: on the fit
 * @param imbalances long-tail splits, e.g. [{"type": "exp", "ratio": 100}], instead of distributions
 *                   or keepFractions; with own data, none of the three gives one split "all" (the data as is)
 * @param data the images of every run (see {@link DataConfig}); null: Fashion-MNIST
 * @param optimizer the optimizer of every run (see {@link RunConfig})
 * @param callbacks the callbacks of every run
 * @param sampling the sampler of every run
 * @param augmentation the augmentation of every run
 * @param optimizers several optimizers to compare: every (split, loss, seed) runs with each, named by its class
 *                   ({@code sgd}, {@code adamw}; {@code sgd1}, {@code sgd2} for two of one class) in run names
 * @param recipes several whole recipes to compare: objects with a {@code name} and any of optimizer, callbacks,
 *                sampling and augmentation (unset fields are the sweep's); every (split, loss, seed) runs with each,
 *                named by its name in run names
 * @param lossModels a network of its own for a loss (method label or loss name), as the papers pair LDAM with a
 *                   normalised classifier ({@code NormedDense}); other losses run {@code model}
 * @param decoupling the settings of the decoupling stages its method labels name ({@code crossentropy+crt}: a
 *                   {@link Decoupling} with method {@code crt}); a stage not listed takes its defaults
 * @param validationFraction every run's validation share of the training split (see {@link RunConfig}); 0 trains on
 *                           every training image, as Keras' protocol does
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties({"onednn"}) // a process setting, read by the CLI (--onednn)
public record ExperimentConfig(String name, int[] classes, List<double[]> distributions, List<double[]> keepFractions,
                               List<String> losses, Map<String, Map<String, Object>> lossParams, Integer epochs,
                               Integer batchSize, Double learningRate, List<Long> seeds, List<String> tuning,
                               String search, Double searchStep, Integer searchSamples, ModelSpec model,
                               Precision precision, String objective, double[][] costMatrix,
                               List<Imbalance> imbalances, DataConfig data,
                               com.fasterxml.jackson.databind.JsonNode optimizer,
                               com.fasterxml.jackson.databind.JsonNode callbacks,
                               com.fasterxml.jackson.databind.JsonNode sampling,
                               com.fasterxml.jackson.databind.JsonNode augmentation,
                               List<com.fasterxml.jackson.databind.JsonNode> optimizers,
                               List<com.fasterxml.jackson.databind.JsonNode> recipes,
                               Map<String, ModelSpec> lossModels, Integer selectionFolds,
                               List<Decoupling> decoupling, Double validationFraction) {

    /** One run of the sweep: its folder name and its config. */
    public record Run(String id, String split, String loss, long seed, RunConfig config) {
    }

    /** Reads a sweep config and validates every run it expands to, before any training. */
    public static ExperimentConfig load(Path file) {
        return ConfigFile.read(file, ExperimentConfig.class, c -> {
            c.runs();
            return c;
        });
    }

    /** Every run, validated (each RunConfig checks its data spec, loss and tuning) before any training. */
    public List<Run> runs() {
        if (name == null || name.isBlank()) {
            throw new LosslabException("name: give the experiment a name");
        }
        SafeName.check("name", name);
        int given = (distributions != null ? 1 : 0) + (keepFractions != null ? 1 : 0) + (imbalances != null ? 1 : 0);
        if (data == null && given == 0) {
            throw new LosslabException("give one of distributions, keepFractions or imbalances (each a list of splits)");
        }
        if (given > 1) {
            throw new LosslabException("give at most one of distributions, keepFractions and imbalances (each a list of splits)");
        }
        String listName = distributions != null ? "distributions" : keepFractions != null ? "keepFractions" : "imbalances";
        int splitCount = distributions != null ? distributions.size() : keepFractions != null ? keepFractions.size()
                : imbalances != null ? imbalances.size() : 1;
        if (splitCount == 0) {
            throw new LosslabException(listName + ": empty list");
        }
        if (losses == null || losses.isEmpty()) {
            throw new LosslabException("losses: empty list");
        }
        if (seeds == null || seeds.isEmpty()) {
            throw new LosslabException("seeds: empty list");
        }
        if (lossParams != null) {
            for (String l : lossParams.keySet()) {
                if (losses.stream().noneMatch(x -> x.equals(l) || baseLoss(x).equals(l))) {
                    throw new LosslabException("lossParams names '" + l + "', which is not in losses " + losses);
                }
            }
        }
        if (optimizers != null && optimizer != null && !optimizer.isNull()) {
            throw new LosslabException("give optimizer (every run's) or optimizers (several to compare), not both");
        }
        if (optimizers != null && optimizers.isEmpty()) {
            throw new LosslabException("optimizers: empty list");
        }
        if (recipes != null && optimizers != null) {
            throw new LosslabException("give optimizers or recipes, not both");
        }
        List<Variant> variants = variants();
        List<Run> out = new ArrayList<>();
        for (int si = 0; si < splitCount; si++) {
            double[] split = distributions != null ? distributions.get(si) : keepFractions != null ? keepFractions.get(si) : null;
            Imbalance imbalance = imbalances != null ? imbalances.get(si) : null;
            if (imbalances != null && imbalance == null) {
                throw new LosslabException("imbalances: entry " + si + " is null");
            }
            String splitName = RunConfig.splitName(distributions != null ? split : null,
                    keepFractions != null ? split : null, imbalance);
            for (String loss : losses) {
                // "crossentropy+class_balanced-from160": a loss with its own sampler (a method of its own in reports)
                String base = baseLoss(loss);
                String suffix = base.equals(loss) ? null : loss.substring(base.length() + 1);
                // "crossentropy+crt": a decoupling stage after training; any other suffix names a sampler
                Decoupling decoupling = suffix != null && Decoupling.isLabel(suffix)
                        ? Decoupling.fromLabel(suffix, decouplingFor(suffix)) : null;
                com.fasterxml.jackson.databind.JsonNode runSampling = suffix == null || decoupling != null ? sampling
                        : Sampling.fromLabel("losses: '" + loss + "'", suffix,
                        epochs == null ? 10 : epochs).toJson();
                Map<String, Object> params = lossParams == null ? null
                        : lossParams.containsKey(loss) ? lossParams.get(loss) : lossParams.get(base);
                for (Variant v : variants) {
                    com.fasterxml.jackson.databind.JsonNode vSampling = v.sampling() != null && base.equals(loss)
                            ? v.sampling() : runSampling;
                    // the run's method, as RunConfig.method() names it: loss, +sampler, +recipe name
                    String label = loss;
                    if (decoupling != null) {
                        label = base; // RunConfig.method() adds the stage, after any sampler
                    }
                    if (vSampling != runSampling) {
                        var sm = Sampling.parse("recipes: '" + v.name() + "' sampling", vSampling,
                                epochs == null ? 10 : epochs);
                        label = sm.type().equals("uniform") ? label : label + "+" + sm.configName();
                    }
                    label = decoupling == null ? label : label + "+" + decoupling.method();
                    label = v.name() == null ? label : label + "+" + v.name();
                    for (long seed : seeds) {
                        RunConfig rc = new RunConfig(name + "/" + splitName + "-" + label + "-seed" + seed, classes,
                                distributions != null ? split : null, keepFractions != null ? split : null, base,
                                params, epochs, batchSize, learningRate, seed, validationFraction,
                                tuning, search, searchStep, searchSamples, modelFor(loss, base), precision, objective,
                                costMatrix, imbalance, data, v.optimizer(), v.callbacks(), vSampling, v.augmentation(),
                                v.name(), selectionFolds, decoupling);
                        rc.validate();
                        out.add(new Run(SafeName.check("run id", splitName + "-" + label + "-seed" + seed), splitName, label,
                                seed, rc));
                    }
                }
            }
        }
        return out;
    }

    /** One recipe a sweep runs every (split, loss, seed) with; {@code name} null: the sweep's own recipe, unnamed. */
    record Variant(String name, com.fasterxml.jackson.databind.JsonNode optimizer,
                   com.fasterxml.jackson.databind.JsonNode callbacks, com.fasterxml.jackson.databind.JsonNode sampling,
                   com.fasterxml.jackson.databind.JsonNode augmentation) {
    }

    /** The recipes to run: the sweep's own, each of {@code optimizers}, or each of {@code recipes}. */
    List<Variant> variants() {
        if (optimizers != null) {
            List<String> names = optimizerNames(optimizers);
            List<Variant> out = new ArrayList<>();
            for (int i = 0; i < optimizers.size(); i++) {
                out.add(new Variant(names.get(i), optimizers.get(i), callbacks, null, augmentation));
            }
            return out;
        }
        if (recipes != null) {
            if (recipes.isEmpty()) {
                throw new LosslabException("recipes: empty list");
            }
            List<Variant> out = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < recipes.size(); i++) {
                var r = recipes.get(i);
                String where = "recipes[" + i + "]";
                if (r == null || !r.isObject() || !r.path("name").isTextual()) {
                    throw new LosslabException(where + ": an object with a \"name\" and any of optimizer, callbacks, sampling, "
                            + "augmentation");
                }
                for (var it = r.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!java.util.Set.of("name", "optimizer", "callbacks", "sampling", "augmentation").contains(f)) {
                        throw new LosslabException(where + "." + f + ": unknown field (valid: name, optimizer, callbacks, "
                                + "sampling, augmentation)");
                    }
                }
                String n = SafeName.check(where + ".name", r.get("name").asText());
                if (!seen.add(n)) {
                    throw new LosslabException(where + ".name: '" + n + "' is used twice");
                }
                out.add(new Variant(n, r.has("optimizer") ? r.get("optimizer") : optimizer,
                        r.has("callbacks") ? r.get("callbacks") : callbacks, r.has("sampling") ? r.get("sampling") : null,
                        r.has("augmentation") ? r.get("augmentation") : augmentation));
            }
            return out;
        }
        return List.of(new Variant(null, optimizer, callbacks, null, augmentation));
    }

    /** Each optimizer's name in run names: its class in lower case, numbered when two share a class. */
    static List<String> optimizerNames(List<com.fasterxml.jackson.databind.JsonNode> variants) { // null entries: unnamed
        List<String> classes = new ArrayList<>();
        for (var v : variants) {
            classes.add(v == null ? null : (v.isTextual() ? v.asText() : v.isObject() && v.size() == 1
                    ? v.fieldNames().next() : "optimizer").toLowerCase(Locale.ROOT));
        }
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (String c : classes) {
            if (c == null) {
                names.add(null);
                continue;
            }
            boolean shared = java.util.Collections.frequency(classes, c) > 1;
            int n = seen.merge(c, 1, Integer::sum);
            names.add(shared ? c + n : c);
        }
        return names;
    }

    /** The network a method runs: its own from {@code lossModels} (by label, then by loss), else the sweep's. */
    ModelSpec modelFor(String label, String loss) {
        if (lossModels != null) {
            for (String k : lossModels.keySet()) {
                if (!losses.contains(k) && losses.stream().noneMatch(l -> baseLoss(l).equals(k))) {
                    throw new LosslabException("lossModels: '" + k + "' is not one of the sweep's losses " + losses);
                }
            }
            if (lossModels.containsKey(label)) {
                return lossModels.get(label);
            }
            if (lossModels.containsKey(loss)) {
                return lossModels.get(loss);
            }
        }
        return model;
    }

    /** The sweep's settings for the decoupling stage {@code method}, or null (its defaults). */
    private Decoupling decouplingFor(String method) {
        if (decoupling == null) {
            return null;
        }
        for (var d : decoupling) {
            if (d == null) {
                throw new LosslabException("decoupling: an entry is null");
            }
        }
        return decoupling.stream().filter(d -> d.method().equals(method)).findFirst().orElse(null);
    }

    /** The loss of a method label: {@code crossentropy} for {@code crossentropy+class_balanced}. */
    static String baseLoss(String label) {
        int plus = label.indexOf('+');
        return plus < 0 ? label : label.substring(0, plus);
    }

    /** The same sweep with every run in {@code p} (the command line's --precision). */
    public ExperimentConfig withPrecision(Precision p) {
        return new ExperimentConfig(name, classes, distributions, keepFractions, losses, lossParams, epochs, batchSize,
                learningRate, seeds, tuning, search, searchStep, searchSamples, model, p, objective, costMatrix, imbalances,
                data, optimizer, callbacks, sampling, augmentation, optimizers, recipes, lossModels, selectionFolds, decoupling,
                validationFraction);
    }

    /** "90-10" for a distribution, "keep90-80-...-5" for keep fractions. */
    static String splitName(double[] split, boolean keep) {
        StringBuilder sb = new StringBuilder(keep ? "keep" : "");
        for (int i = 0; i < split.length; i++) {
            sb.append(i == 0 ? "" : "-").append(String.format(Locale.ROOT, "%d", Math.round(split[i] * 100)));
        }
        return sb.toString();
    }
}
