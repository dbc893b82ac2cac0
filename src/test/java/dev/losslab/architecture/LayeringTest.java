package dev.losslab.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house holds its shape: the packages form the layers {@link #ORDER} lists, bottom first, and a package uses only
 * packages below it (never one above, never one of its own level's neighbours in a cycle); no two packages import each
 * other and no longer cycle exists; and no source file names a losslab class inline ({@code dev.losslab.x.Y} in code
 * or Javadoc) instead of importing it. docs/architecture.md gives the same order.
 */
class LayeringTest {
    /** The layers, bottom first: each may use only the ones before it. */
    static final List<String> ORDER = List.of("", "util", "metrics", "data", "tune", "network.layers", "recipe", "loss",
            "network", "kerasfile", "savedmodel", "train", "tensorboard", "inference", "experiment", "experiment.sweep", "report",
            "slurm", "api", "cli");

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.losslab");
    }

    static String pkg(String layer) {
        return layer.isEmpty() ? "dev.losslab" : "dev.losslab." + layer;
    }

    /** The layered rule: layer i may be accessed only by the layers above it. */
    static Architectures.LayeredArchitecture layers() {
        Architectures.LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String l : ORDER) {
            // "dev.losslab.network" and not its subpackage network.layers: each layer is exactly one package
            arch = arch.layer(name(l)).definedBy(pkg(l));
        }
        for (int i = 0; i < ORDER.size() - 1; i++) {
            String[] above = ORDER.subList(i + 1, ORDER.size()).stream().map(LayeringTest::name).toArray(String[]::new);
            arch = arch.whereLayer(name(ORDER.get(i))).mayOnlyBeAccessedByLayers(above);
        }
        return arch.whereLayer(name("cli")).mayNotBeAccessedByAnyLayer();
    }

    static String name(String layer) {
        return layer.isEmpty() ? "root" : layer;
    }

    @Test
    void everyPackageUsesOnlyTheLayersBelowIt() {
        layers().check(classes);
    }

    @Test
    void noPackagesImportEachOtherNorFormACycle() {
        slices().matching("dev.losslab.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyPackageIsInTheOrder() throws IOException {
        List<String> missing = new ArrayList<>();
        Path src = Path.of("src", "main", "java", "dev", "losslab");
        try (Stream<Path> dirs = Files.walk(src)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                String layer = src.relativize(d).toString().replace('/', '.');
                boolean hasJava;
                try (Stream<Path> fs = Files.list(d)) {
                    hasJava = fs.anyMatch(f -> f.toString().endsWith(".java"));
                }
                if (hasJava && !ORDER.contains(layer)) {
                    missing.add(layer);
                }
            }
        }
        assertEquals(List.of(), missing, "packages the layer order does not place");
    }

    static final Pattern INLINE = Pattern.compile("(?<![\\w.])dev\\.losslab\\.(?:[a-z]+\\.)*[A-Z]\\w*");

    @Test
    void losslabClassesAreImportedNotNamedInline() throws IOException {
        List<String> inline = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                int n = 0;
                for (String line : Files.readAllLines(f)) {
                    n++;
                    if (line.startsWith("import ") || line.startsWith("package ")) {
                        continue;
                    }
                    Matcher m = INLINE.matcher(line);
                    if (m.find()) {
                        inline.add(f + ":" + n + ": " + m.group());
                    }
                }
            }
        }
        assertEquals(0, inline.size(), inline.size() + " inline names, e.g. " + inline.stream().limit(10).toList());
    }
}
