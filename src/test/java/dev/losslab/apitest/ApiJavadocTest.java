package dev.losslab.apitest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DocumentationTool;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API's Javadoc (dev.losslab.api and the two types it returns) builds with every doclint check and no warning. */
class ApiJavadocTest {
    @TempDir
    Path out;

    @Test
    void publicApiJavadocHasNoWarnings() throws Exception {
        Path src = Path.of("src/main/java/dev/losslab");
        List<java.io.File> files = new ArrayList<>();
        try (var s = Files.list(src.resolve("api"))) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(p -> files.add(p.toFile()));
        }
        files.add(src.resolve("loss/Loss.java").toFile());
        files.add(src.resolve("tune/DecisionRule.java").toFile());
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        List<String> problems = new ArrayList<>();
        try (var fm = javadoc.getStandardFileManager(null, null, null)) {
            StringWriter log = new StringWriter();
            boolean ok = javadoc.getTask(log, fm, d -> {
                if (d.getKind() != Diagnostic.Kind.NOTE) {
                    problems.add(d.getKind() + " " + d.getSource() + ":" + d.getLineNumber() + " " + d.getMessage(null));
                }
            }, null, List.of("-Xdoclint:all", "-quiet", "-d", out.toString(), "-cp", System.getProperty("java.class.path")),
                    fm.getJavaFileObjectsFromFiles(files)).call();
            assertTrue(ok, log.toString());
        }
        assertEquals(List.of(), problems);
        assertTrue(Files.isRegularFile(out.resolve("dev/losslab/api/ThresholdTuning.html")));
    }
}
