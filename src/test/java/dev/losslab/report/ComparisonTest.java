package dev.losslab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare on a hand-made results folder: inside/outside flags and the paired verdict. */
class ComparisonTest {
    @TempDir
    Path dir;

    private void run(String split, String loss, long seed, double tuned, double defaultAcc) throws IOException {
        run("binary", split, loss, seed, tuned, defaultAcc);
    }

    private void run(String setting, String split, String loss, long seed, double tuned, double defaultAcc)
            throws IOException {
        Path f = dir.resolve("results/" + setting + "/runs/" + split + "-" + loss + "-seed" + seed + "/run.json");
        Files.createDirectories(f.getParent());
        Files.writeString(f, String.format(Locale.ROOT, """
                {"status": "ok", "config": {"classes": [0, 1], "distribution": [0.9, 0.1], "loss": "%s", "seed": %d},
                 "provenance": {"dataCanonical": true},
                 "test": {"auc": 0.99, "defaultRule": {"accuracy": %s, "balancedAccuracy": 0.9, "f1": 0.9},
                          "tuned": {"accuracy": %s, "balancedAccuracy": 0.9, "f1": 0.9}},
                 "wallSeconds": 30.0}
                """, loss, seed, defaultAcc, tuned));
    }

    @Test
    void flagsAndVerdict() throws IOException {
        double[] ce = {0.990, 0.992, 0.994};
        double[] f1 = {0.993, 0.995, 0.997};
        for (int s = 0; s < 3; s++) {
            run("90-10", "crossentropy", s + 1, ce[s], ce[s] - 0.001);
            run("90-10", "soft_f1", s + 1, f1[s], f1[s]);
        }
        Path failed = dir.resolve("results/binary/runs/90-10-focal-seed1/run.json");
        Files.createDirectories(failed.getParent());
        Files.writeString(failed, """
                {"status": "failed", "config": {"classes": [0, 1], "distribution": [0.9, 0.1], "loss": "focal", "seed": 1},
                 "wallSeconds": 12.0, "error": "loss became NaN at epoch 1"}
                """);
        Path ref = dir.resolve("ref.csv");
        Files.writeString(ref, """
                setting,split,loss,best_threshold_or_method,tuned_accuracy,default_accuracy
                binary,90-10,crossentropy,0.036,0.999,0.998
                binary,90-10,soft_f1,0.269,0.995,0.993
                binary,80-20,soft_f1,0.691,0.994,0.994
                """);
        List<Comparison.Result> results = Comparison.load(dir.resolve("results"));
        assertEquals(6, results.size());
        List<Comparison.Line> lines = Comparison.lines(results, ReferenceTable.read(ref));
        // CE: mean 0.992, sd 0.002; 0.999 is 0.007 away > 2 sd -> outside
        assertEquals("no", lines.get(0).inside());
        assertEquals(0.992, lines.get(0).mean(), 1e-12);
        assertEquals(0.002, lines.get(0).sd(), 1e-12);
        // soft_f1: mean 0.995 equals the notebook -> inside
        assertEquals("yes", lines.get(1).inside());
        assertEquals("no runs", lines.get(2).inside());

        List<Comparison.Paired> paired = Comparison.paired(results);
        assertEquals(1, paired.size());
        assertEquals(0.003, paired.get(0).meanVsTuned(), 1e-12);
        assertEquals(3, paired.get(0).pairs());
        String md = Comparison.write(dir.resolve("results"), ReferenceTable.read(ref), dir.resolve("COMPARISON.md"));
        assertTrue(md.contains("| binary | soft_f1 | 3 | +0.0030 +- 0.0000 |"), md);
        // +0.003 in all three pairs: the t-interval excludes 0, but the exact permutation p is 2/8 = 0.25 (Holm, one
        // loss: 0.25), so the verdict at family-wise 5% is no detectable difference
        assertTrue(md.contains("| 0.2500 | 0.2500 | no detectable difference |"), md);
        assertTrue(md.contains("6 of them on canonical Fashion-MNIST"), md);
        // 6 finished runs x 30 s + 1 failed run x 12 s = 192 s
        assertTrue(md.contains("| binary | 6 | 1 | 3.2 min |"), md);
        // rows inside: CE outside, soft_f1 inside; 80-20 has no runs and is not counted
        assertTrue(md.contains("| binary | binary | 1 / 2 | 0.0035 |"), md);
        assertTrue(md.contains("| all | | | 3.2 min |"), md);
    }

    @Test
    void variantSweepIsPairedWithItsBaseOnly() throws IOException {
        double[] base = {0.960, 0.950, 0.970};
        double[] longer = {0.965, 0.953, 0.977};
        for (int s = 0; s < 3; s++) {
            run("three-class", "90-7-3", "crossentropy", s + 1, base[s], base[s]);
            run("three-class-20-epochs", "90-7-3", "crossentropy", s + 1, longer[s], longer[s]);
            run("three", "90-7-3", "crossentropy", s + 1, 0.5, 0.5); // a shorter prefix: three-class's base, not 20-epochs'
            run("binary", "90-7-3", "crossentropy", s + 1, 0.1, 0.1); // same split name, not a prefix: never paired
        }
        run("three-class-20-epochs", "90-7-3", "soft_f1", 1, 0.9, 0.9); // no base run: no pair
        List<Comparison.Variant> v = Comparison.variants(Comparison.load(dir.resolve("results")));
        assertEquals(2, v.size(), v.toString());
        assertEquals("three-class", v.get(0).setting());
        assertEquals("three", v.get(0).base());
        Comparison.Variant longer20 = v.get(1);
        assertEquals("three-class-20-epochs", longer20.setting());
        assertEquals("three-class", longer20.base()); // the longest prefix
        assertEquals("crossentropy", longer20.loss());
        assertEquals(3, longer20.pairs());
        // differences 0.005, 0.003, 0.007: mean 0.005, sd 0.002, half-width 4.303 * 0.002 / sqrt(3)
        assertEquals(0.005, longer20.mean(), 1e-12);
        assertEquals(4.303 * 0.002 / Math.sqrt(3), longer20.halfWidth(), 1e-9);
        Path ref = dir.resolve("ref.csv");
        Files.writeString(ref, "setting,split,loss,best_threshold_or_method,tuned_accuracy,default_accuracy\n");
        String md = Comparison.write(dir.resolve("results"), ReferenceTable.read(ref), dir.resolve("COMPARISON.md"));
        assertTrue(md.contains("| three-class-20-epochs | three-class | crossentropy | 3 | +0.0050 +- 0.0050 |"), md);
    }

    @Test
    void fidelityCountsRowsInsidePerSweepAndVariant() throws IOException {
        double[] a = {0.990, 0.992, 0.994};
        for (int s = 0; s < 3; s++) {
            run("binary", "90-10", "crossentropy", s + 1, a[s], a[s]);
            run("binary-valid", "90-10", "crossentropy", s + 1, a[s] + 0.005, a[s]);
            run("binary-valid", "90-10", "soft_f1", s + 1, 0.98, 0.98);
        }
        Path ref = dir.resolve("ref.csv");
        Files.writeString(ref, """
                setting,split,loss,best_threshold_or_method,tuned_accuracy,default_accuracy
                binary,90-10,crossentropy,0.036,0.996,0.998
                binary,90-10,soft_f1,0.269,0.995,0.993
                """);
        var f = Comparison.fidelity(Comparison.load(dir.resolve("results")), ReferenceTable.read(ref));
        assertEquals(2, f.size(), f.toString());
        // binary: CE mean 0.992, sd 0.002, notebook 0.996 is exactly 2 sd away: inside
        assertEquals(new Comparison.Fidelity("binary", "binary", 1, 1, 0.004), round(f.get(0)));
        // binary-valid against binary's table: CE mean 0.997 inside; soft_f1 0.98 with sd 0 is outside
        assertEquals("binary-valid", f.get(1).setting());
        assertEquals(1, f.get(1).inside());
        assertEquals(2, f.get(1).rows());
    }

    private static Comparison.Fidelity round(Comparison.Fidelity f) {
        return new Comparison.Fidelity(f.setting(), f.referenceSetting(), f.inside(), f.rows(),
                Math.round(f.meanAbsDifference() * 1e9) / 1e9);
    }

    @Test
    void tQuantilesMatchTheTable() {
        assertEquals(4.303, Comparison.tQuantile975(2), 1e-9);
        assertEquals(2.042, Comparison.tQuantile975(30), 1e-9);
        assertEquals(1.96, Comparison.tQuantile975(200), 1e-9);
    }
}
