package dev.losslab.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Slurm cluster (Debian's slurm-wlm 22.05 and munge), started by hand under one
 * short directory and stopped by its saved PIDs, as {@code ../shared/reference/slurm-notes.md}
 * describes. Client commands must run with {@link #environment()} ({@code SLURM_CONF}).
 */
public final class LocalSlurm implements AutoCloseable {
    private final Path dir;
    private final Path conf;
    private final String host;

    private LocalSlurm(Path dir, String host) {
        this.dir = dir;
        this.conf = dir.resolve("etc/slurm.conf");
        this.host = host;
    }

    /** Whether the daemons are installed (.ci/run installs them). */
    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/sbin/slurmctld")) && Files.isExecutable(Path.of("/usr/sbin/slurmd"))
                && Files.isExecutable(Path.of("/usr/sbin/munged")) && Files.isExecutable(Path.of("/usr/bin/sbatch"));
    }

    public static LocalSlurm start() throws IOException, InterruptedException {
        // the munge socket path must stay short (unix socket limit), so not under a deep temp folder
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "lsl");
        // munged wants every directory above its socket searchable by all
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String host = run(List.of("hostname", "-s"), Map.of()).trim();
        LocalSlurm s = new LocalSlurm(dir, host);
        try {
            s.startMunge();
            s.writeConfig();
            s.startSlurm();
            return s;
        } catch (IOException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    public Map<String, String> environment() {
        return Map.of("SLURM_CONF", conf.toString());
    }

    private void startMunge() throws IOException, InterruptedException {
        mkdir("munge", "rwxr-xr-x");
        Path etc = mkdir("munge/etc", "rwx------");
        Path run = mkdir("munge/run", "rwxr-xr-x");
        Path log = mkdir("munge/log", "rwx------");
        Path lib = mkdir("munge/lib", "rwx------");
        Path key = etc.resolve("munge.key");
        run(List.of("mungekey", "-c", "-k", key.toString()), Map.of());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        run(List.of("munged", "--key-file=" + key, "--socket=" + run.resolve("munge.socket"),
                "--pid-file=" + run.resolve("munged.pid"), "--log-file=" + log.resolve("munged.log"),
                "--seed-file=" + lib.resolve("munged.seed"), "--origin=127.0.0.1"), Map.of());
    }

    private void writeConfig() throws IOException, InterruptedException {
        mkdir("etc", "rwxr-xr-x");
        mkdir("state", "rwxr-xr-x");
        mkdir("spool", "rwxr-xr-x");
        mkdir("run", "rwxr-xr-x");
        mkdir("log", "rwxr-xr-x");
        String hw = run(List.of("slurmd", "-C"), Map.of()).lines().filter(l -> l.startsWith("NodeName=")).findFirst()
                .orElseThrow(() -> new IOException("slurmd -C printed no NodeName line"));
        String hardware = hw.substring(hw.indexOf(' ') + 1).trim();
        String d = dir.toString();
        String text = String.join("\n",
                "ClusterName=losslabtest",
                "SlurmctldHost=" + host + "(127.0.0.1)",
                "SlurmUser=root",
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + d + "/munge/run/munge.socket",
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "MailProg=/bin/true",
                "ReturnToService=2",
                "StateSaveLocation=" + d + "/state",
                "SlurmdSpoolDir=" + d + "/spool",
                "SlurmctldPidFile=" + d + "/run/slurmctld.pid",
                "SlurmdPidFile=" + d + "/run/slurmd.pid",
                "SlurmctldLogFile=" + d + "/log/slurmctld.log",
                "SlurmdLogFile=" + d + "/log/slurmd.log",
                "NodeName=" + host + " NodeAddr=127.0.0.1 " + hardware,
                "PartitionName=debug Nodes=" + host + " Default=YES MaxTime=INFINITE State=UP",
                "");
        Files.writeString(conf, text, StandardCharsets.UTF_8);
    }

    private void startSlurm() throws IOException, InterruptedException {
        run(List.of("slurmctld"), environment());
        run(List.of("slurmd"), environment());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String state = "";
        while (System.nanoTime() < deadline) {
            try {
                state = run(List.of("sinfo", "-h", "-o", "%t"), environment()).trim();
                if (state.equals("idle")) {
                    return;
                }
            } catch (IOException e) {
                state = e.getMessage();
            }
            Thread.sleep(500);
        }
        throw new IOException("the node did not become idle in 60 s (last: " + state + "); logs in " + dir.resolve("log"));
    }

    @Override
    public void close() {
        try {
            // cancel what is left and let the queue drain, or job processes outlive slurmd
            if (Files.exists(dir.resolve("run/slurmctld.pid"))) {
                try {
                    run(List.of("scancel", "--user=root"), environment());
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (System.nanoTime() < deadline && !run(List.of("squeue", "-h"), environment()).isBlank()) {
                        Thread.sleep(500);
                    }
                } catch (IOException ignored) {
                    // the controller is not answering: stop the daemons anyway
                }
            }
            for (String pidFile : List.of("run/slurmd.pid", "run/slurmctld.pid", "munge/run/munged.pid")) {
                stop(dir.resolve(pidFile));
            }
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // a leftover folder in /tmp is harmless
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stop(Path pidFile) throws InterruptedException {
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            var handle = ProcessHandle.of(pid);
            if (handle.isEmpty()) {
                return;
            }
            new ProcessBuilder("kill", "-TERM", String.valueOf(pid)).start().waitFor();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (handle.get().isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (handle.get().isAlive()) {
                new ProcessBuilder("kill", "-KILL", String.valueOf(pid)).start().waitFor();
            }
        } catch (IOException | NumberFormatException ignored) {
            // nothing to stop
        }
    }

    public Path logDirectory() {
        return dir.resolve("log");
    }

    private Path mkdir(String rel, String perms) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        return p;
    }

    /** Runs a command to completion; its output, or an IOException with it on a non-zero status. */
    public static String run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(cmd + " exited " + p.exitValue() + ": " + text.trim());
        }
        return text;
    }
}
