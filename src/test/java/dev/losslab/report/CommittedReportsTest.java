package dev.losslab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed per-objective reports regenerate from the committed runs: a few runs of each study are copied out of
 * {@code results/} and re-tuned, and every row must equal its row in the committed {@code objectives.csv} to the
 * printed digits (the re-tuning is plain Java on the stored probabilities, so it does not depend on the CPU). The
 * whole report takes minutes; two runs per study check that the command written next to the numbers gives them.
 */
class CommittedReportsTest {
    @TempDir
    Path dir;

    @Test
    void baselinesTenClassRowsRegenerate() throws IOException {
        check("baselines-ten-class", Path.of("results/baselines/objectives.csv"));
    }

    @Test
    void fashionMnistLtRowsRegenerate() throws IOException {
        check("fashion-mnist-lt", Path.of("results/fashion-mnist-lt/objectives.csv"));
    }

    /** Copies the first run and the first run of another loss of {@code setting}, re-tunes them, compares rows. */
    private void check(String setting, Path committedCsv) throws IOException {
        List<String> committed = Files.readAllLines(committedCsv);
        Path runs = Path.of("results", setting, "runs");
        Set<String> reported = new TreeSet<>(); // run folders the committed report covers (runs may land after it)
        for (String line : committed.subList(1, committed.size())) {
            String[] f = line.split(",");
            if (f[0].equals(setting)) {
                reported.add(f[1] + "-" + f[2] + "-seed" + f[3]);
            }
        }
        List<Path> picked = new ArrayList<>();
        try (Stream<Path> s = Files.list(runs)) {
            for (Path run : s.sorted().toList()) {
                boolean packed = Files.exists(run.resolve("test-probabilities.csv.gz"))
                        && reported.contains(run.getFileName().toString());
                String loss = lossOf(run);
                if (packed && picked.stream().noneMatch(p -> lossOf(p).equals(loss))) {
                    picked.add(run);
                }
                if (picked.size() == 2) {
                    break;
                }
            }
        }
        assertEquals(2, picked.size(), "two committed runs of " + setting);
        for (Path run : picked) {
            Path copy = Files.createDirectories(dir.resolve(setting).resolve("runs").resolve(run.getFileName()));
            for (String f : List.of("run.json", "val-probabilities.csv.gz", "test-probabilities.csv.gz")) {
                Files.copy(run.resolve(f), copy.resolve(f));
            }
        }
        Set<String> objectives = new TreeSet<>();
        for (String line : committed.subList(1, committed.size())) {
            if (line.startsWith(setting + ",")) {
                objectives.add(line.split(",")[4]);
            }
        }
        assertTrue(!objectives.isEmpty(), committedCsv + " has rows of " + setting);
        ObjectiveStudy.Study study = ObjectiveStudy.run(dir, List.of(setting), List.copyOf(objectives), "crossentropy", x -> { });
        assertEquals(2, study.reproduced(), "each run's own tuning gives the tuned accuracy its run.json recorded");
        ObjectiveReport.write(study, List.of(setting), List.copyOf(objectives), "crossentropy", dir.resolve("out"));
        List<String> rows = Files.readAllLines(dir.resolve("out/objectives.csv"));
        assertEquals(1 + 2 * objectives.size(), rows.size());
        for (String row : rows.subList(1, rows.size())) {
            assertTrue(committed.contains(row), "not in " + committedCsv + ": " + row);
        }
    }

    /** A run folder's {@code <split>-<loss>} part (its name without {@code -seed<n>}): runs of one loss share it. */
    private static String lossOf(Path run) {
        String id = run.getFileName().toString();
        return id.substring(0, id.lastIndexOf("-seed"));
    }
}
