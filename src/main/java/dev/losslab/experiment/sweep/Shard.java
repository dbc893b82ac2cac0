package dev.losslab.experiment.sweep;

import dev.losslab.LosslabException;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic share of a sweep: shard {@code index} of {@code count} takes the runs at positions
 * p (in the config's expansion order) with p mod count = index. Indices are 0-based, as Slurm's
 * {@code SLURM_ARRAY_TASK_ID} for {@code --array=0-(N-1)}; the N shards partition the sweep.
 */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new LosslabException("--shard " + index + "/" + count + ": need 0 <= I < N (e.g. 0/2 and 1/2)");
        }
    }

    /** Parses "I/N". */
    public static Shard parse(String s) {
        String[] parts = s == null ? new String[0] : s.trim().split("/", -1);
        if (parts.length != 2) {
            throw new LosslabException("--shard '" + s + "': expected I/N, e.g. 0/4");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new LosslabException("--shard '" + s + "': expected I/N with whole numbers, e.g. 0/4");
        }
    }

    public <T> List<T> select(List<T> runs) {
        List<T> out = new ArrayList<>();
        for (int p = index; p < runs.size(); p += count) {
            out.add(runs.get(p));
        }
        return out;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
