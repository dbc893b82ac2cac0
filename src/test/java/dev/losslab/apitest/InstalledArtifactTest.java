package dev.losslab.apitest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * losslab as a Maven dependency, the way docs/java-api.md tells a Java team to take it: this build's classes
 * and POM are installed as {@code dev.losslab:losslab} into a repository of their own, and a separate Maven
 * project that declares only the {@code <dependency>} block (and that repository) compiles a tiny program
 * using only {@code dev.losslab.api} and TensorFlow's own types, and runs it: a tuned rule, its JSON, and a
 * loss built in the program's own graph and evaluated by TensorFlow, checked against a plain-Java value. Maven
 * resolves every transitive jar (TensorFlow's native classifier jar included) from the installed POM alone.
 */
class InstalledArtifactTest {
    @TempDir
    Path dir;

    static final String PROGRAM = """
            import dev.losslab.api.ImbalanceLosses;
            import dev.losslab.api.ThresholdTuning;
            import org.tensorflow.Graph;
            import org.tensorflow.Session;
            import org.tensorflow.op.Ops;
            import org.tensorflow.types.TFloat32;

            public class Main {
                public static void main(String[] args) {
                    // class 1 is under-predicted by argmax: a tuned threshold fixes it
                    double[][] p = new double[200][];
                    int[] y = new int[200];
                    for (int i = 0; i < 200; i++) {
                        double p1 = (i % 100) / 100.0 * 0.8;
                        p[i] = new double[] {1 - p1, p1};
                        y[i] = p1 > 0.3 ? 1 : 0;
                    }
                    var rule = ThresholdTuning.fit(p, y);
                    int[] predicted = ThresholdTuning.predict(rule, p);
                    int right = 0;
                    for (int i = 0; i < y.length; i++) {
                        right += predicted[i] == y[i] ? 1 : 0;
                    }
                    System.out.println("rule " + ThresholdTuning.toJson(rule));
                    System.out.println("accuracy " + right / 200.0);
                    System.out.println("losses " + String.join(",", ImbalanceLosses.names()));
                    try (Graph g = new Graph(); Session s = new Session(g)) {
                        Ops tf = Ops.create(g);
                        var labels = tf.constant(new float[][] {{1, 0, 0}, {0, 1, 0}});
                        var logits = tf.constant(new float[][] {{2, 0, -1}, {0, 1, 0}});
                        var loss = ImbalanceLosses.create("crossentropy").compute(tf, labels, logits, 3);
                        try (TFloat32 v = (TFloat32) s.runner().fetch(loss).run().get(0)) {
                            System.out.println("crossentropy " + v.getFloat());
                        }
                    }
                }
            }
            """;

    @Test
    void aSeparateMavenProjectCompilesAndRunsAgainstTheInstalledArtifact() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path jar = dir.resolve("losslab.jar");
        jarOf(root.resolve("target/classes"), jar);
        Path repo = dir.resolve("repo");
        run(dir, List.of(mvn(), "-B", "-q", "org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file",
                "-Dfile=" + jar, "-DpomFile=" + root.resolve("pom.xml"), "-DlocalRepositoryPath=" + repo));
        assertTrue(Files.isDirectory(repo.resolve("dev/losslab/losslab")), "installed");

        Path project = dir.resolve("consumer");
        Files.createDirectories(project.resolve("src/main/java"));
        Files.writeString(project.resolve("src/main/java/Main.java"), PROGRAM);
        Files.writeString(project.resolve("pom.xml"), consumerPom(repo, dependencyBlock(root)));
        run(project, List.of(mvn(), "-B", "-q", "-U", "compile", "dependency:build-classpath",
                "-Dmdep.outputFile=" + project.resolve("cp.txt")));
        String cp = project.resolve("target/classes") + java.io.File.pathSeparator
                + Files.readString(project.resolve("cp.txt")).trim();
        assertTrue(cp.contains("losslab-") && cp.contains("tensorflow-core-native") && cp.contains("smile-core-2.6.0"), cp);
        assertTrue(!cp.contains("duckdb") && !cp.contains("parso"), "no unused transitive jar: " + cp);

        String out = run(project, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", cp, "Main"));
        assertTrue(out.replace(" ", "").contains("\"method\":\"grid\""), out);
        assertTrue(out.contains("accuracy 1.0"), out);
        assertTrue(out.contains("losses ") && out.contains("focal") && out.contains("ldam"), out);
        double want = (-Math.log(Math.exp(2) / (Math.exp(2) + 1 + Math.exp(-1)))
                - Math.log(Math.E / (2 + Math.E))) / 2;
        String line = out.lines().filter(l -> l.startsWith("crossentropy ")).findFirst().orElseThrow();
        assertEquals(want, Double.parseDouble(line.substring("crossentropy ".length())), 1e-6, out);
    }

    /** The {@code <dependency>} block docs/java-api.md opens with: the test uses the documented one. */
    static String dependencyBlock(Path root) throws IOException {
        String doc = Files.readString(root.resolve("docs/java-api.md"));
        int from = doc.indexOf("<dependency>");
        int to = doc.indexOf("</dependency>");
        assertTrue(from >= 0 && to > from && from < doc.indexOf("\n## "), "docs/java-api.md starts with the dependency block");
        String block = doc.substring(from, to + "</dependency>".length());
        String version = Files.readString(root.resolve("pom.xml")).split("<version>", 2)[1].split("</version>", 2)[0];
        assertTrue(block.contains("<version>" + version + "</version>"), "the documented version is the build's: " + block);
        return block;
    }

    static String consumerPom(Path repo, String dependency) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>uses-losslab</artifactId>
                  <version>1</version>
                  <properties>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <maven.compiler.release>21</maven.compiler.release>
                  </properties>
                  <repositories>
                    <repository>
                      <id>installed-here</id>
                      <url>%s</url>
                      <snapshots><enabled>true</enabled><updatePolicy>always</updatePolicy></snapshots>
                    </repository>
                  </repositories>
                  <dependencies>
                    %s
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(repo.toUri(), dependency);
    }

    static void jarOf(Path classes, Path jar) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }

    static String mvn() {
        String home = System.getenv("MAVEN_HOME");
        return home != null && Files.isExecutable(Path.of(home, "bin", "mvn")) ? Path.of(home, "bin", "mvn").toString() : "mvn";
    }

    static String run(Path in, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(in.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "finished: " + command);
        String out = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
        return out;
    }
}
