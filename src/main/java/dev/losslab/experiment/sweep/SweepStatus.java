package dev.losslab.experiment.sweep;

import dev.losslab.experiment.ExperimentConfig;
import dev.losslab.experiment.sweep.ExperimentRunner;
import dev.losslab.experiment.RunRecord;
import dev.losslab.experiment.SafeName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where every run of a sweep stands, read from the output folder alone (so any worker, or a person
 * on another machine, sees the same): done (run.json with status ok), failed (run.json with status
 * failed), running (a live lock), stale (a lock whose holder is gone; the next worker takes it
 * over) or missing.
 */
public final class SweepStatus {
    public enum State {
        DONE, FAILED, RUNNING, STALE, MISSING
    }

    /** One run's state; {@code detail} names the lock holder or the failure. */
    public record Entry(String id, State state, String detail) {
    }

    private SweepStatus() {
    }

    public static List<Entry> of(Path out, List<ExperimentConfig.Run> runs, Duration lockTimeout) {
        List<Entry> entries = new ArrayList<>();
        Path runsDir = out.resolve("runs");
        for (ExperimentConfig.Run r : runs) {
            RunRecord rec = RunRecord.read(SafeName.inside(runsDir, r.id()).resolve("run.json"));
            if (rec != null) {
                boolean ok = "ok".equals(rec.status());
                entries.add(new Entry(r.id(), ok ? State.DONE : State.FAILED, ok ? "" : rec.error()));
                continue;
            }
            Optional<RunLock.State> lock;
            try {
                lock = RunLock.read(RunLock.file(out, r.id()), lockTimeout);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (lock.isEmpty()) {
                entries.add(new Entry(r.id(), State.MISSING, ""));
            } else {
                String who = lock.get().holder() == null ? "unreadable lock" : lock.get().holder().describe();
                entries.add(new Entry(r.id(), lock.get().stale() ? State.STALE : State.RUNNING, who));
            }
        }
        return entries;
    }

    public static Map<State, Integer> counts(List<Entry> entries) {
        Map<State, Integer> c = new EnumMap<>(State.class);
        for (State s : State.values()) {
            c.put(s, 0);
        }
        for (Entry e : entries) {
            c.merge(e.state(), 1, Integer::sum);
        }
        return c;
    }
}
