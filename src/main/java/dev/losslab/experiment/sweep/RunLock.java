package dev.losslab.experiment.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A claim on one run of a sweep, so that workers sharing an output folder (processes of
 * {@code --jobs}, shards on other machines) never train the same run: {@code OUT/locks/<id>.lock},
 * created with {@code O_CREAT|O_EXCL} (atomic, also on NFS v3+), holding who took it (host, pid,
 * start time). While held, its modification time is refreshed every {@link #HEARTBEAT}.
 *
 * <p>A lock is stale when its holder is a dead process on this host, or when it has not been
 * refreshed for the timeout (a holder on another machine that died). A stale lock is taken over by
 * renaming it aside (only one renamer can succeed) and creating a fresh one.
 */
public final class RunLock implements AutoCloseable {
    public static final Duration HEARTBEAT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScheduledExecutorService HEARTBEATS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "run-lock-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /** Who holds a lock. */
    public record Holder(String host, long pid, long startedMillis) {
        public static Holder self() {
            return new Holder(hostName(), ProcessHandle.current().pid(), System.currentTimeMillis());
        }

        public String describe() {
            return host + ":" + pid + " since " + Instant.ofEpochMilli(startedMillis);
        }
    }

    /** What is known of a lock file now. */
    public record State(Holder holder, Instant refreshed, boolean stale) {
    }

    private final Path file;
    private final ScheduledFuture<?> heartbeat;

    private RunLock(Path file) {
        this.file = file;
        this.heartbeat = HEARTBEATS.scheduleAtFixedRate(this::touch, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public static Path file(Path out, String runId) {
        return out.resolve("locks").resolve(runId + ".lock");
    }

    /** Takes the lock of {@code runId}, taking over a stale one; empty when a live worker holds it. */
    public static Optional<RunLock> tryAcquire(Path out, String runId, Duration timeout) throws IOException {
        Path f = file(out, runId);
        Files.createDirectories(f.getParent());
        for (int attempt = 0; attempt < 3; attempt++) {
            if (create(f)) {
                return Optional.of(new RunLock(f));
            }
            Optional<State> s = read(f, timeout);
            if (s.isEmpty()) {
                continue; // released between our attempt and the read: try again
            }
            if (!s.get().stale()) {
                return Optional.empty();
            }
            // take over: move the stale file aside; if someone else moved it first, the move fails
            Path aside = f.resolveSibling(f.getFileName() + ".stale-" + Holder.self().pid() + "-" + System.nanoTime());
            try {
                Files.move(f, aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                continue;
            }
            State moved = read(aside, timeout).orElse(null);
            if (moved != null && !moved.stale()) {
                // we moved a fresh lock another worker had just taken over: put it back and give up
                try {
                    Files.move(aside, f, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    Files.deleteIfExists(aside);
                }
                return Optional.empty();
            }
            Files.deleteIfExists(aside);
        }
        return Optional.empty();
    }

    private static boolean create(Path f) throws IOException {
        byte[] content = JSON.writeValueAsString(Holder.self()).getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(f, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /** The lock's holder and whether it is stale; empty when there is no lock file. */
    public static Optional<State> read(Path f, Duration timeout) throws IOException {
        Instant refreshed;
        byte[] content;
        try {
            refreshed = Files.getLastModifiedTime(f).toInstant();
            content = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Holder h;
        try {
            h = JSON.readValue(content, Holder.class);
        } catch (IOException e) {
            h = null; // being written, or garbage: judged by its age alone
        }
        boolean expired = refreshed.plus(timeout).isBefore(Instant.now());
        boolean deadHere = h != null && h.host().equals(hostName()) && ProcessHandle.of(h.pid()).map(p -> !p.isAlive())
                .orElse(true);
        // an unreadable lock younger than a few seconds is probably being written
        boolean garbage = h == null && refreshed.plusSeconds(5).isBefore(Instant.now());
        return Optional.of(new State(h, refreshed, expired || deadHere || garbage));
    }

    private void touch() {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // the lock was taken over or removed; the run's result is still written atomically
        }
    }

    @Override
    public void close() {
        heartbeat.cancel(false);
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover lock of a dead pid is stale and will be taken over
        }
    }

    static String hostName() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: ask the environment, then the resolver
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
