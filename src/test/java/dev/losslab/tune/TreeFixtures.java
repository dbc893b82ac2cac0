package dev.losslab.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.experiment.ProbabilityCsv;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The probability sets on which the tree tuner's rules are pinned (issue 28: the trees must not change when
 * the Smile version does). Random sets are regenerated from their seed by plain Java (binary and multiclass,
 * smooth, rounded to two decimals so that many values tie, duplicated rows, saturated at 0 and 1); real sets
 * are validation probabilities of trained runs kept under {@code src/test/resources/tree-fixtures/}.
 * {@link #main} records the rules the current Smile fits into {@code rules.jsonl.gz}; {@code TreeFixturesTest}
 * checks that the current Smile fits the same ones.
 */
final class TreeFixtures {
    static final String DIR = "/tree-fixtures/";
    static final String RULES = "rules.jsonl.gz";
    static final String[] REAL = {"binary-crossentropy.csv.gz", "binary-soft_f1.csv.gz",
            "three-90-7-3-crossentropy.csv.gz", "three-90-7-3-soft_f1.csv.gz", "three-60-30-10-pairwise_hinge.csv.gz",
            "three-60-30-10-crossentropy.csv.gz", "ten-crossentropy.csv.gz", "ten-soft_balanced_accuracy.csv.gz"};
    private static final int[] KS = {2, 3, 4, 5, 10};
    private static final int[] NS = {30, 100, 400, 1000};
    private static final String[] STYLES = {"smooth", "rounded", "duplicated", "saturated"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private TreeFixtures() {
    }

    /** One probability set: {@code p} row-major {@code [n, k]}. */
    record ProbabilitySet(String name, int k, float[] p, int[] labels) {
    }

    /** One fit to pin: the set, the tree's size, and (when recorded) the rule or Smile's refusal. */
    record Case(String set, int depth, int maxNodes, int nodeSize, boolean crossValidated, TreeRule rule, String error) {
    }

    static final int RANDOM_SETS = 240;

    /** Random set {@code i}, the same on every JVM (only SplittableRandom and float arithmetic). */
    static ProbabilitySet random(int i) {
        SplittableRandom rng = new SplittableRandom(1000 + i);
        int k = KS[i % KS.length];
        int n = NS[(i / KS.length) % NS.length];
        String style = STYLES[(i / (KS.length * NS.length)) % STYLES.length];
        double ratio = new double[] {1, 3, 10, 30}[rng.nextInt(4)];
        double signal = 0.5 + 3 * rng.nextDouble();
        double[] prior = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            prior[c] = Math.pow(ratio, -(double) c / (k - 1));
            sum += prior[c];
        }
        float[] p = new float[n * k];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            if (style.equals("duplicated") && r % 3 != 0) {
                // two of every three rows repeat the row before them, some with another label
                System.arraycopy(p, (r - 1) * k, p, r * k, k);
                labels[r] = rng.nextInt(4) == 0 ? rng.nextInt(k) : labels[r - 1];
                continue;
            }
            double u = rng.nextDouble() * sum;
            int y = 0;
            while (y < k - 1 && (u -= prior[y]) > 0) {
                y++;
            }
            labels[r] = y;
            double[] z = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                z[c] = (c == y ? signal : 0) + rng.nextGaussian() * (style.equals("saturated") ? 8 : 1);
                max = Math.max(max, z[c]);
            }
            double total = 0;
            for (int c = 0; c < k; c++) {
                z[c] = Math.exp(z[c] - max);
                total += z[c];
            }
            for (int c = 0; c < k; c++) {
                double v = z[c] / total;
                if (style.equals("rounded")) {
                    v = Math.round(v * 100) / 100.0;
                } else if (style.equals("saturated") && (v < 1e-4 || v > 1 - 1e-4)) {
                    v = Math.round(v);
                }
                p[r * k + c] = (float) v;
            }
        }
        return new ProbabilitySet("random-" + i, k, p, labels);
    }

    static ProbabilitySet real(String file) {
        try (InputStream in = TreeFixtures.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + DIR + file);
            }
            Path tmp = Files.createTempFile("tree-fixture", ".csv");
            try {
                Files.write(tmp, new GZIPInputStream(in).readAllBytes());
                ProbabilityCsv.Table t = ProbabilityCsv.read(tmp);
                return new ProbabilitySet("real-" + file.replace(".csv.gz", ""), t.numClasses(), t.probabilities(), t.labels());
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<ProbabilitySet> sets() {
        List<ProbabilitySet> out = new ArrayList<>();
        for (int i = 0; i < RANDOM_SETS; i++) {
            out.add(random(i));
        }
        for (String f : REAL) {
            out.add(real(f));
        }
        return out;
    }

    /** The fits pinned on each set: depths 1-6 (1 and 2 are Smile's edge), leaf sizes 1, 5, 20, some with fewer nodes. */
    static List<Case> cases(ProbabilitySet set, int index) {
        List<Case> out = new ArrayList<>();
        int[] depths = set.name().startsWith("real") ? new int[] {1, 2, 3, 4, 5, 6} : new int[] {1 + index % 6, 1 + (index + 3) % 6};
        for (int depth : depths) {
            int nodeSize = new int[] {1, 5, 20}[(index + depth) % 3];
            int maxNodes = (index + depth) % 4 == 0 ? Math.max(2, (1 << depth) / 2) : 1 << depth;
            out.add(new Case(set.name(), depth, maxNodes, nodeSize, false, null, null));
        }
        if (index % 8 == 0 || set.name().startsWith("real")) {
            out.add(new Case(set.name(), 0, 0, 0, true, null, null));
        }
        return out;
    }

    /** What the current Smile fits for {@code c} on {@code set}. */
    static Case fit(ProbabilitySet set, Case c) {
        try {
            TreeRule rule = c.crossValidated()
                    ? DecisionTreeTuner.fit(set.p(), set.labels(), set.k(), DecisionTreeTuner.Options.crossValidated(7))
                    : DecisionTreeTuner.fitOnce(set.p(), set.labels(), set.k(), c.depth(), c.maxNodes(), c.nodeSize());
            return new Case(c.set(), c.depth(), c.maxNodes(), c.nodeSize(), c.crossValidated(), rule, null);
        } catch (IllegalArgumentException e) {
            return new Case(c.set(), c.depth(), c.maxNodes(), c.nodeSize(), c.crossValidated(), null, "refused");
        }
    }

    static List<Case> recorded() throws IOException {
        try (InputStream in = TreeFixtures.class.getResourceAsStream(DIR + RULES)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + DIR + RULES);
            }
            List<Case> out = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                out.add(JSON.readValue(line, Case.class));
            }
            return out;
        }
    }

    /** Records the current Smile's rules: {@code main(<resources dir>)}. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]).resolve("tree-fixtures").resolve(RULES);
        List<ProbabilitySet> sets = sets();
        int count = 0;
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
             PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            for (int i = 0; i < sets.size(); i++) {
                for (Case c : cases(sets.get(i), i)) {
                    w.println(JSON.writeValueAsString(fit(sets.get(i), c)));
                    count++;
                }
            }
        }
        System.out.println(count + " rules -> " + file);
    }
}
