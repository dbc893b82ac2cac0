package dev.losslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's tour runs top to bottom as written: every {@code tools/losslab} line in its code blocks parses
 * (picocli, without running), and every file it reads (its configs, models, images, probabilities, and the folders
 * a config reads) exists in the repository or is written by a line above it; no two lines write the same --out
 * unless the later one resumes or forces.
 */
class ReadmeTourTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final String DATA = "../shared/data/fashion-mnist-offline";
    static final Set<String> INPUTS = Set.of("--config", "--model", "--images", "--probabilities", "--test", "--keras",
            "--results", "--reference", "--labels", "--rule", "--data-dir");

    /** The shell lines of the README's fenced code blocks (json blocks left out), comments and continuations joined. */
    static List<String> commandLines() throws IOException {
        List<String> out = new ArrayList<>();
        boolean in = false;
        boolean json = false;
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
            if (line.startsWith("```")) {
                in = !in;
                json = in && line.length() > 3;
                continue;
            }
            if (!in || json) {
                continue;
            }
            String l = line.replaceAll("\\s+#.*$", "").trim();
            if (l.endsWith("\\")) {
                pending.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            pending.append(l);
            if (!pending.isEmpty()) {
                out.add(pending.toString().replace("$LOSSLAB_DATA", DATA));
            }
            pending.setLength(0);
        }
        return out;
    }

    static List<String> words(String line) {
        List<String> w = new ArrayList<>();
        for (String t : line.trim().split("\\s+")) {
            w.add(t.replaceAll("^'(.*)'$", "$1"));
        }
        return w;
    }

    static boolean available(String path, Set<String> produced) {
        Path p = ROOT.resolve(path).normalize();
        if (Files.exists(p)) {
            return true;
        }
        for (String made : produced) {
            if (p.startsWith(ROOT.resolve(made).normalize())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyTourLineParsesAndReadsOnlyWhatExistsByThen() throws IOException {
        List<String> lines = commandLines();
        assertTrue(lines.stream().filter(l -> l.startsWith("tools/losslab ")).count() >= 15, lines.toString());
        Set<String> produced = new HashSet<>();
        List<String> problems = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            List<String> w = words(line);
            if (w.get(0).equals("tools/idx-to-folder")) {
                for (int i = 1; i < 3; i++) {
                    if (!available(w.get(i), produced)) {
                        problems.add(line + ": " + w.get(i) + " does not exist at this point of the tour");
                    }
                }
                produced.add(w.get(3));
                continue;
            }
            if (w.get(0).equals("tensorboard")) {
                String dir = w.get(w.indexOf("--logdir") + 1);
                if (!available(dir, produced)) {
                    problems.add(line + ": " + dir + " is not written above");
                }
                continue;
            }
            if (!w.get(0).equals("tools/losslab")) {
                continue;
            }
            List<String> args = w.subList(1, w.size());
            try {
                CommandLine cli = new CommandLine(new Main());
                cli.parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                problems.add(line + ": does not parse: " + e.getMessage());
                continue;
            }
            for (int i = 0; i + 1 < args.size(); i++) {
                String opt = args.get(i);
                if (!INPUTS.contains(opt)) {
                    continue;
                }
                String value = args.get(i + 1);
                if (opt.equals("--rule") && value.equals("argmax")) {
                    continue;
                }
                if (!available(value, produced)) {
                    problems.add(line + ": " + opt + " " + value + " does not exist at this point of the tour");
                }
                if (opt.equals("--config") && Files.isRegularFile(ROOT.resolve(value))) {
                    JsonNode c = json.readTree(ROOT.resolve(value).toFile());
                    for (String ptr : List.of("/data/directory", "/data/testDirectory", "/model/keras")) {
                        String ref = c.at(ptr).asText(null);
                        if (ref != null && !available(ref, produced)) {
                            problems.add(line + ": " + value + " reads " + ref + " (" + ptr + "), which does not exist at "
                                    + "this point of the tour");
                        }
                    }
                }
            }
            int o = args.indexOf("--out");
            if (o >= 0 && o + 1 < args.size()) {
                String out = args.get(o + 1);
                boolean rewrites = args.contains("--resume") || args.contains("--force") || args.contains("--status");
                if (produced.contains(out) && !rewrites && List.of("train", "experiment", "export").contains(args.get(0))) {
                    problems.add(line + ": --out " + out + " was written above; this line would be refused");
                }
                produced.add(out);
            }
        }
        assertEquals(List.of(), problems);
    }
}
