package dev.losslab.loss;

import dev.losslab.LosslabException;
import dev.losslab.util.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every loss by its config name, in the generic {@link Registry} every Keras-shaped family uses (its factory and the
 * arguments it takes), with its parameters' defaults, valid ranges and source for configs and the CLI. Unknown
 * parameters are refused by the one argument check ({@link Registry#checkArguments}); unknown names and out-of-range
 * values are one-line errors that list what is valid.
 */
public final class LossRegistry {

    /** What {@code losses} prints about a loss, and how to make it. */
    public record Entry(String name, boolean binary, boolean multiclass, List<ParamSpec> parameters, String source,
                        Function<LossParams, Loss> factory) {
        public Map<String, Object> defaults() {
            Map<String, Object> d = new LinkedHashMap<>();
            for (ParamSpec p : parameters) {
                d.put(p.name(), p.defaultValue());
            }
            return d;
        }
    }

    private static final Map<String, Entry> ENTRIES = new TreeMap<>();
    /** The losses' factories by name, with the parameters each takes. */
    private static final Registry<LossParams, Loss> REGISTRY = new Registry<>("loss");

    private static final String TSOI = "Tsoi et al., soft confusion sets (eq. 3), ";
    private static final String ANYLOSS = "Han et al. 2024 (AnyLoss), eq. 6 + eq. 10, ";

    static {
        register(CrossEntropyLoss.NAME, List.of(), "notebook baseline: binary/categorical cross-entropy from logits",
                p -> new CrossEntropyLoss());
        register(WeightedCrossEntropyLoss.NAME, List.of(ParamSpec.perClass("weights", "numbers > 0", v -> v > 0 && v < 1e6)),
                "class-weighted cross-entropy, weights N / (K n_k) from the training split by default",
                p -> new WeightedCrossEntropyLoss(WeightedCrossEntropyLoss.weights(p.perClass("weights"), p.trainCounts())));
        register(LogitAdjustedCrossEntropyLoss.NAME, List.of(
                        ParamSpec.number("tau", 1.0, "a number >= 0", v -> v >= 0 && v <= 10),
                        ParamSpec.perClass("priors", "numbers in (0, 1]", v -> v > 0 && v <= 1)),
                "Menon et al. 2021 (ICLR), logit-adjusted loss eq. 11: CE(z + tau log pi); tau = 1 is Ren et al. 2020's "
                        + "balanced softmax",
                p -> new LogitAdjustedCrossEntropyLoss(LogitAdjustedCrossEntropyLoss.priors(p.perClass("priors"),
                        p.trainCounts()), p.number("tau")));
        ParamSpec cbBeta = ParamSpec.number("beta", 0.9999, "in (0, 1)", v -> v > 0 && v < 1);
        register("class_balanced_crossentropy", List.of(cbBeta),
                "Cui et al. 2019 (CVPR), class-balanced weights (1 - beta) / (1 - beta^n_k) normalised to sum K, on cross-entropy",
                p -> new WeightedCrossEntropyLoss("class_balanced_crossentropy",
                        ClassBalancedWeights.of(p.trainCounts(), p.number("beta"))));
        register("class_balanced_focal", List.of(cbBeta, ParamSpec.number("gamma", 2.0, "a number >= 0", v -> v >= 0 && v <= 20)),
                "Cui et al. 2019 (CVPR), class-balanced weights on the focal loss (Lin et al. 2017)",
                p -> new FocalLoss("class_balanced_focal", p.number("gamma"), 0.25,
                        ClassBalancedWeights.of(p.trainCounts(), p.number("beta"))));
        register(LdamLoss.NAME, List.of(
                        ParamSpec.number("maxMargin", 0.5, "in (0, 10]", v -> v > 0 && v <= 10),
                        ParamSpec.number("s", 30.0, "in (0, 100]", v -> v > 0 && v <= 100),
                        ParamSpec.number("drwEpoch", 0, "a whole epoch >= 0 (0: no deferred re-weighting)",
                                v -> v >= 0 && v == Math.rint(v) && v <= 10_000)),
                "Cao et al. 2019 (NeurIPS), LDAM eq. 13, margins C / n_k^(1/4) (largest 0.5), scale s; DRW from drwEpoch "
                        + "with Cui et al.'s class-balanced weights",
                p -> new LdamLoss(p.trainCounts(), p.number("maxMargin"), p.number("s"), (int) p.number("drwEpoch")));
        ParamSpec drw = ParamSpec.number("drwEpoch", 0, "a whole epoch >= 0 (0: no deferred re-weighting)",
                v -> v >= 0 && v == Math.rint(v) && v <= 10_000);
        register(LdamLoss.CE_DRW, List.of(drw),
                "Cao et al. 2019 (NeurIPS), Table 2's CE-DRW: cross-entropy, Cui et al.'s class-balanced weights (beta "
                        + "0.9999) from drwEpoch",
                p -> new LdamLoss(LdamLoss.CE_DRW, p.trainCounts(), 0, 1, (int) p.number("drwEpoch")));
        register(LdamLoss.NORMED_CE, List.of(ParamSpec.number("s", 30.0, "in (0, 100]", v -> v > 0 && v <= 100), drw),
                "Cao et al. 2019 (NeurIPS), LDAM without margins: cross-entropy of s z for a NormedDense head's cosines "
                        + "(pair it with NormedDense, as for ldam); DRW from drwEpoch",
                p -> new LdamLoss(LdamLoss.NORMED_CE, p.trainCounts(), 0, p.number("s"), (int) p.number("drwEpoch")));
        register(SurrogateFbetaLoss.NAME, List.of(
                        ParamSpec.number("beta", 1.0, "a number > 0", v -> v > 0 && v <= 100),
                        ParamSpec.choice("reduction", "mean", List.of("mean", "class_mean"))),
                "Lee et al. (seed 001), surrogate F-beta as its public implementations compute it (unconfirmed)",
                p -> new SurrogateFbetaLoss(p.number("beta"), SurrogateFbetaLoss.shares(p.trainCounts()),
                        p.text("reduction").equals("class_mean")));
        register(FocalLoss.NAME, List.of(
                        ParamSpec.number("gamma", 2.0, "a number >= 0", v -> v >= 0 && v <= 20),
                        ParamSpec.number("alpha", 0.25, "in (0, 1)", v -> v > 0 && v < 1)),
                "Lin et al. 2017, focal loss, eq. 5", p -> new FocalLoss(p.number("gamma"), p.number("alpha")));
        register(PairwiseHingeLoss.NAME, List.of(ParamSpec.number("margin", 1.0, "a number > 0", v -> v > 0 && v <= 10),
                        ParamSpec.choice("multiclass", PairwiseHingeLoss.Multiclass.OVR.configName(),
                                java.util.Arrays.stream(PairwiseHingeLoss.Multiclass.values())
                                        .map(PairwiseHingeLoss.Multiclass::configName).toList())),
                "notebook: pairwise hinge AUC surrogate; K>2 one-vs-rest (ovr) or Crammer-Singer",
                p -> new PairwiseHingeLoss(p.number("margin"), PairwiseHingeLoss.Multiclass.valueOf(
                        p.text("multiclass").toUpperCase(java.util.Locale.ROOT))));
        register(SoftF1Loss.NAME, List.of(), "notebook: soft F1, 1 - 2TP/(2TP+FP+FN)", p -> new SoftF1Loss());
        register(SoftBalancedAccuracyLoss.NAME, List.of(), "notebook: soft balanced accuracy (mean soft recall)",
                p -> new SoftBalancedAccuracyLoss());

        for (String approx : List.of("sigmoid", "linear")) {
            ParamSpec shape = approx.equals("sigmoid")
                    ? ParamSpec.number("k", 10.0, "a number > 0", v -> v > 0 && v <= 1000)
                    : ParamSpec.number("delta", 0.1, "in (0, 0.5)", v -> v > 0 && v < 0.5);
            String eq = approx.equals("sigmoid") ? "sigmoid H (sec. 4)" : "linear H (eq. 5)";
            ParamSpec tau = ParamSpec.numbers("tau", 0.5, "in (0, 1)", v -> v > 0 && v < 1);
            ParamSpec softSet = ParamSpec.choice("softSet", SoftSetForm.EQ3.configName(),
                    List.of(SoftSetForm.EQ3.configName(), SoftSetForm.MASKED.configName()));
            ParamSpec beta = ParamSpec.number("beta", 1.0, "a number > 0", v -> v > 0 && v <= 100);
            for (HeavisideLoss.Metric metric : HeavisideLoss.Metric.values()) {
                String name = "heaviside_" + approx + "_" + metric.name().toLowerCase(java.util.Locale.ROOT);
                List<ParamSpec> params = new ArrayList<>(List.of(shape));
                if (metric != HeavisideLoss.Metric.AUROC) {
                    params.add(tau);
                }
                params.add(softSet);
                if (metric == HeavisideLoss.Metric.FBETA) {
                    params.add(beta);
                }
                register(name, params, TSOI + eq + ", 1 - " + metric.name().toLowerCase(java.util.Locale.ROOT),
                        p -> new HeavisideLoss(name,
                                approx.equals("sigmoid") ? new HeavisideApproximation.Sigmoid(p.number("k"))
                                        : new HeavisideApproximation.Linear(p.number("delta")),
                                SoftSetForm.valueOf(p.text("softSet").toUpperCase(java.util.Locale.ROOT)), metric,
                                metric == HeavisideLoss.Metric.AUROC ? new double[] {0.5} : p.numbers("tau"),
                                metric == HeavisideLoss.Metric.FBETA ? p.number("beta") : 1.0));
            }
        }

        ParamSpec amplification = ParamSpec.number("L", 73.0, "in [5.5, 91.84] (table 1's widest valid range)",
                v -> v >= 5.5 && v <= 91.84);
        for (AnyLoss.Metric metric : AnyLoss.Metric.values()) {
            String name = "anyloss_" + metric.name().toLowerCase(java.util.Locale.ROOT);
            List<ParamSpec> params = new ArrayList<>(List.of(amplification));
            if (metric == AnyLoss.Metric.FBETA) {
                params.add(ParamSpec.number("beta", 1.0, "a number > 0", v -> v > 0 && v <= 100));
            }
            register(name, params, ANYLOSS + "1 - " + metric.name().toLowerCase(java.util.Locale.ROOT),
                    p -> new AnyLoss(name, metric, p.number("L"), metric == AnyLoss.Metric.FBETA ? p.number("beta") : 1.0));
        }
    }

    private LossRegistry() {
    }

    private static void register(String name, List<ParamSpec> params, String source, Function<LossParams, Loss> factory) {
        REGISTRY.register(name, params.stream().map(ParamSpec::name).collect(Collectors.toSet()), factory);
        ENTRIES.put(name, new Entry(name, true, true, List.copyOf(params), source, factory));
    }

    public static Map<String, Entry> entries() {
        return ENTRIES;
    }

    /** The loss {@code name} with {@code params} over its defaults; every problem is one line. */
    public static Loss create(String name, Map<String, ?> params) {
        return create(name, params, null);
    }

    /**
     * As {@link #create(String, Map)}, with the training split's class counts for the losses that
     * derive class weights or priors from them (null: uniform).
     */
    public static Loss create(String name, Map<String, ?> params, int[] trainCounts) {
        Entry e = ENTRIES.get(name);
        Registry.Entry<LossParams, Loss> loss = REGISTRY.get(name);
        if (e == null || loss == null) {
            throw new LosslabException("unknown loss '" + name + "'; valid: " + String.join(", ", ENTRIES.keySet()));
        }
        Map<String, Object> merged = new TreeMap<>(e.defaults());
        Map<String, ParamSpec> specs = e.parameters().stream().collect(Collectors.toMap(ParamSpec::name, p -> p));
        if (params != null) {
            Registry.checkArguments(name, params.keySet(), loss.arguments(), Set.of(), a -> "lossParams." + a);
            for (var p : params.entrySet()) {
                String problem = specs.get(p.getKey()).problem(p.getValue());
                if (problem != null) {
                    throw new LosslabException("loss '" + name + "': parameter '" + p.getKey() + "' = " + p.getValue()
                            + " " + problem);
                }
                merged.put(p.getKey(), p.getValue());
            }
        }
        return loss.factory().apply(new LossParams(name, merged, trainCounts));
    }
}
