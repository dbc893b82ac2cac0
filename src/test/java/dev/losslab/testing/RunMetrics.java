package dev.losslab.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a sweep's runs computed, for comparing two ways of running the same sweep. */
public final class RunMetrics {
    private RunMetrics() {
    }

    /** Per run id: every number that depends on training (history, metrics, rule) and the thread count. */
    public static Map<String, String> of(Path out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            for (Path r : runs.toList()) {
                var node = json.readTree(r.resolve("run.json").toFile());
                List<String> parts = new ArrayList<>();
                for (var h : node.get("history")) {
                    parts.add(h.get("trainLoss").asText() + "/" + h.get("valLoss").asText() + "/" + h.get("valAccuracy").asText());
                }
                parts.add(node.get("test").toString());
                parts.add(node.get("validation").toString());
                parts.add(node.get("rule").toString());
                parts.add("threads=" + node.get("threads").asText());
                m.put(r.getFileName().toString(), String.join("|", parts));
            }
        }
        return m;
    }
}
