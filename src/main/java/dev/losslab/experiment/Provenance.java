package dev.losslab.experiment;

import dev.losslab.train.Precision;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.tensorflow.TensorFlow;

/**
 * Where a result came from (as Tribuo records with every model): code version and commit, library
 * versions, JVM and OS, and which data, so any number in {@code results/} can be traced and re-run.
 */
public record Provenance(String losslabVersion, String gitCommit, boolean gitDirty, Map<String, String> libraries,
                         String jdk, String os, String dataDirectory, boolean dataCanonical,
                         Map<String, String> dataContentSha256, String cpu, boolean cpuBf16) {

    public static Provenance collect(Path dataDirectory, boolean canonical, Map<String, String> sha256) {
        Properties versions = versions();
        Map<String, String> libs = new TreeMap<>();
        for (String name : versions.stringPropertyNames()) {
            if (!name.equals("losslab")) {
                libs.put(name, versions.getProperty(name));
            }
        }
        libs.put("tensorflow-runtime", TensorFlow.version());
        String commit = git("rev-parse", "HEAD");
        String status = git("status", "--porcelain", "--untracked-files=no");
        return new Provenance(versions.getProperty("losslab", "unknown"), commit == null ? "unknown" : commit,
                status != null && !status.isBlank(), libs,
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                dataDirectory == null ? null : dataDirectory.toAbsolutePath().toString(), canonical, sha256,
                Precision.cpuModel().trim(), Precision.cpuHasBf16());
    }

    static Properties versions() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/dev/losslab/versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // versions stay "unknown"
        }
        return p;
    }

    private static String git(String... args) {
        try {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "git";
            System.arraycopy(args, 0, cmd, 1, args.length);
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
