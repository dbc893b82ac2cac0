package dev.losslab.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.losslab.LosslabException;
import dev.losslab.util.TextFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * One config file for every command: a run config, or a sweep config of which one run is picked
 * (by split, loss and seed; the first of each when not given, said on {@code log}). A sweep config is
 * recognised by its lists ({@code losses}, {@code seeds}, {@code distributions}, {@code imbalances}, or
 * {@code keepFractions} holding lists).
 */
public final class AnyConfig {
    private AnyConfig() {
    }

    /** True when {@code file} holds a sweep config. */
    public static boolean isSweep(Path file) {
        String text = TextFiles.read(file, "config file");
        try {
            JsonNode n = RunConfig.JSON.readTree(text);
            if (n == null || !n.isObject()) {
                return false;
            }
            for (String key : List.of("losses", "seeds", "distributions", "imbalances")) {
                if (n.has(key)) {
                    return true;
                }
            }
            // a run's keepFractions is a list of numbers; a sweep's is a list of such lists
            JsonNode keep = n.get("keepFractions");
            return keep != null && keep.isArray() && keep.size() > 0 && keep.get(0).isArray();
        } catch (java.io.IOException e) {
            return false; // RunConfig.load reports the JSON error with its line
        }
    }

    /** The run {@code file} describes; for a sweep, the run with this split, loss and seed (null: the first). */
    public static RunConfig runConfig(Path file, String split, String loss, Long seed, PrintStream log) {
        if (!isSweep(file)) {
            return RunConfig.load(file);
        }
        ExperimentConfig sweep = ExperimentConfig.load(file);
        List<ExperimentConfig.Run> runs = sweep.runs();
        List<String> splits = runs.stream().map(ExperimentConfig.Run::split).distinct().toList();
        List<String> losses = runs.stream().map(ExperimentConfig.Run::loss).distinct().toList();
        List<Long> seeds = runs.stream().map(ExperimentConfig.Run::seed).distinct().toList();
        String s = pick("split", split, splits);
        String l = pick("loss", loss, losses);
        long sd = seed != null ? seed : seeds.get(0);
        if (split == null && splits.size() > 1 || loss == null && losses.size() > 1 || seed == null && seeds.size() > 1) {
            log.println("note: " + file + " is a sweep config; running its run " + s + "-" + l + "-seed" + sd
                    + " (choose with --split " + String.join("|", splits) + ", --loss, --seed)");
        }
        for (ExperimentConfig.Run r : runs) {
            if (r.split().equals(s) && r.loss().equals(l) && r.seed() == sd) {
                return r.config();
            }
        }
        // a seed outside the sweep's list: the chosen split and loss with that seed
        for (ExperimentConfig.Run r : runs) {
            if (r.split().equals(s) && r.loss().equals(l)) {
                return r.config().withSeed(sd);
            }
        }
        throw new IllegalStateException("no run " + s + "-" + l);
    }

    private static String pick(String what, String wanted, List<String> valid) {
        if (wanted == null) {
            return valid.get(0);
        }
        if (!valid.contains(wanted)) {
            throw new LosslabException("--" + what + " '" + wanted + "' is not in the sweep (valid: " + String.join(", ", valid) + ")");
        }
        return wanted;
    }
}
