package dev.losslab.recipe;

import dev.losslab.util.KerasObject;
import com.fasterxml.jackson.databind.JsonNode;
import dev.losslab.LosslabException;
import dev.losslab.data.Shuffle;
import java.util.SplittableRandom;

/**
 * How an epoch draws its training images (the sampler, not the loss): {@code uniform} (each image once, shuffled:
 * losslab's and Keras' default), {@code class_balanced} (each draw picks a class uniformly, then one of its
 * images: Kang et al. 2020, "Decoupling representation and classifier", ICLR, class-balanced sampling) or
 * {@code square_root} (a class with n_c images is picked with probability proportional to sqrt(n_c): their
 * square-root sampling, Mahajan et al. 2018). Re-sampled epochs draw with replacement and keep the epoch's
 * length (n draws); only indices are drawn, the training set is not copied. {@code fromEpoch} defers the
 * re-sampling (uniform before it): Cao et al. 2019's deferred re-sampling (DRS).
 *
 * @param type      uniform, class_balanced or square_root
 * @param fromEpoch the first (1-based) epoch that re-samples
 */
public record Sampling(String type, int fromEpoch) {
    public static final Sampling UNIFORM = new Sampling("uniform", 1);
    private static final java.util.Set<String> TYPES = java.util.Set.of("uniform", "class_balanced", "square_root");

    /** {@code "class_balanced"} or {@code {"type": "class_balanced", "fromEpoch": 160}} at config field {@code path}. */
    public static Sampling parse(String path, JsonNode node, int epochs) {
        if (node == null || node.isNull()) {
            return UNIFORM;
        }
        String type;
        int from = 1;
        if (node.isTextual()) {
            type = node.asText();
        } else if (node.isObject()) {
            for (var it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("type") && !f.equals("fromEpoch")) {
                    throw new LosslabException(path + "." + f + ": unknown field (valid: type, fromEpoch)");
                }
            }
            JsonNode t = node.get("type");
            if (t == null || !t.isTextual()) {
                throw new LosslabException(path + ".type: required, one of " + KerasObject.sorted(TYPES));
            }
            type = t.asText();
            JsonNode f = node.get("fromEpoch");
            if (f != null && !f.isNull()) {
                if (!f.canConvertToExactIntegral() || !f.isNumber() || f.intValue() < 1) {
                    throw new LosslabException(path + ".fromEpoch: expected a whole number >= 1, found " + f);
                }
                from = f.intValue();
            }
        } else {
            throw new LosslabException(path + ": expected one of " + KerasObject.sorted(TYPES)
                    + " or {\"type\": ..., \"fromEpoch\": N}, found " + KerasObject.abbreviate(node));
        }
        if (!TYPES.contains(type)) {
            throw new LosslabException(path + ": unknown '" + type + "'; valid: " + KerasObject.sorted(TYPES));
        }
        if (from > epochs) {
            throw new LosslabException(path + ".fromEpoch: " + from + " is beyond the run's " + epochs + " epochs");
        }
        if (type.equals("uniform") && from != 1) {
            throw new LosslabException(path + ".fromEpoch: uniform sampling has nothing to defer");
        }
        return new Sampling(type, from);
    }

    /** A sampler from its config name ({@code class_balanced}, {@code square_root-from160}); {@code where} names it in errors. */
    public static Sampling fromLabel(String where, String label, int epochs) {
        int at = label.indexOf("-from");
        String type = at < 0 ? label : label.substring(0, at);
        int from = 1;
        if (at >= 0) {
            try {
                from = Integer.parseInt(label.substring(at + 5));
            } catch (NumberFormatException e) {
                throw new LosslabException(where + ": '" + label + "' is not a sampler name such as class_balanced-from160");
            }
        }
        var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("type", type).put("fromEpoch", from);
        try {
            return parse("sampling", node, epochs);
        } catch (LosslabException e) {
            throw new LosslabException(where + ": " + e.getMessage());
        }
    }

    /** The config form: {@code {"type": ..., "fromEpoch": N}}. */
    public com.fasterxml.jackson.databind.JsonNode toJson() {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("type", type)
                .put("fromEpoch", fromEpoch);
    }

    /** The config name: {@code uniform}, {@code class_balanced}, {@code class_balanced-from160}. */
    public String configName() {
        return fromEpoch > 1 ? type + "-from" + fromEpoch : type;
    }

    /** The per-run sampler for a training set with these labels. */
    public Sampler sampler(int[] labels, int numClasses) {
        return new Sampler(this, labels, numClasses);
    }

    /** Draws each epoch's order of training-set rows. */
    public static final class Sampler {
        private final Sampling sampling;
        private final int n;
        private final int[][] members;
        private final double[] cumulative;

        Sampler(Sampling sampling, int[] labels, int numClasses) {
            this.sampling = sampling;
            this.n = labels.length;
            int[] counts = new int[numClasses];
            for (int y : labels) {
                counts[y]++;
            }
            members = new int[numClasses][];
            int[] at = new int[numClasses];
            for (int c = 0; c < numClasses; c++) {
                members[c] = new int[counts[c]];
            }
            for (int i = 0; i < labels.length; i++) {
                members[labels[i]][at[labels[i]]++] = i;
            }
            double exponent = sampling.type.equals("square_root") ? 0.5 : 0;
            cumulative = new double[numClasses];
            double total = 0;
            for (int c = 0; c < numClasses; c++) {
                total += counts[c] == 0 ? 0 : Math.pow(counts[c], exponent);
                cumulative[c] = total;
            }
            for (int c = 0; c < numClasses; c++) {
                cumulative[c] /= total;
            }
        }

        /** Whether {@code epoch} (1-based) re-samples. */
        public boolean resamples(int epoch) {
            return !sampling.type.equals("uniform") && epoch >= sampling.fromEpoch;
        }

        /**
         * Epoch {@code epoch}'s rows: a permutation for a uniform epoch (the same draws from {@code random} as
         * before re-sampling existed), else n draws with replacement by class probability.
         */
        public int[] order(int epoch, SplittableRandom random) {
            if (!resamples(epoch)) {
                return Shuffle.permutation(n, random);
            }
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                double u = random.nextDouble();
                int c = 0;
                while (c < cumulative.length - 1 && (u >= cumulative[c] || members[c].length == 0)) {
                    c++;
                }
                while (members[c].length == 0) { // the last class drew but holds no image: the nearest one before it
                    c--;
                }
                out[i] = members[c][random.nextInt(members[c].length)];
            }
            return out;
        }
    }
}
