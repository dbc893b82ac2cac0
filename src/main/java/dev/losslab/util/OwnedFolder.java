package dev.losslab.util;

import dev.losslab.LosslabException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The only place losslab deletes a folder. A folder losslab creates for its output carries a marker file
 * ({@value #MARKER}); {@link #delete} removes a folder only when it carries that marker, so a path a user
 * named by mistake ({@code --out .}, the folder holding the input, a folder of their own) is never emptied.
 *
 * <p>Output is written into a marked temporary sibling ({@link #createTemporarySibling}) and moved into
 * place by {@link #publish} at the end, so a failure at any moment (a full disk, kill -9) leaves either the
 * complete result or nothing under the name the user gave: a left-over sibling is hidden, marked, and
 * removed by the next writer of that name.
 */
public final class OwnedFolder {
    /** The marker file losslab leaves in every folder it creates for its output. */
    public static final String MARKER = ".losslab-output";

    private OwnedFolder() {
    }

    /** Creates {@code dir} (and its parents) and marks it as losslab's. */
    public static Path create(Path dir) throws IOException {
        Files.createDirectories(dir);
        mark(dir);
        return dir;
    }

    /** Marks an existing folder losslab just created (a SavedModel writer made it, say). */
    public static void mark(Path dir) throws IOException {
        Path m = dir.resolve(MARKER);
        if (!Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS)) {
            Files.writeString(m, "written by losslab; 'losslab ... --force' may replace this folder\n");
        }
    }

    /** True when {@code dir} is a real folder (not a link) carrying losslab's marker. */
    public static boolean isOwned(Path dir) {
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                && Files.isRegularFile(dir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS);
    }

    /** True when {@code dir} does not exist or is an empty folder. */
    public static boolean isAbsentOrEmpty(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Deletes a folder losslab created, with everything in it (links are removed, never followed). A path
     * that does not exist is fine; a folder without the marker, or anything else, is refused.
     */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isOwned(dir)) {
            throw new IOException(dir + " was not written by losslab (no " + MARKER + " in it); not deleting it");
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            // the marker goes last, so a delete cut short leaves a folder that is still known to be losslab's
            Path marker = dir.resolve(MARKER);
            for (Path p : all) {
                if (!p.equals(marker) && !p.equals(dir)) {
                    Files.delete(p);
                }
            }
            Files.deleteIfExists(marker);
            Files.delete(dir);
        }
    }

    /** As {@link #delete}, for clean-up paths: failures are ignored (a hidden left-over is removed by the next writer). */
    public static void deleteQuietly(Path dir) {
        try {
            delete(dir);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    /**
     * Checks an output folder named by {@code option} before any work: it may be missing or empty; a non-empty
     * folder only with {@code force}, and then only a folder losslab wrote, which is not the working folder nor
     * holds it, and holds none of {@code inputs}. Fails in one line otherwise.
     */
    public static void checkOutput(String option, Path out, boolean force, Path... inputs) {
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new LosslabException(option + " " + out + " exists and is not a folder; losslab never replaces a file there");
        }
        Path abs = out.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath().normalize();
        if (cwd.startsWith(abs)) {
            throw new LosslabException(option + " " + out + " is the working folder or holds it; choose a new folder");
        }
        for (Path in : inputs) {
            if (in != null && in.toAbsolutePath().normalize().startsWith(abs)) {
                throw new LosslabException(option + " " + out + " holds the input " + in + "; choose a new folder");
            }
        }
        if (isAbsentOrEmpty(out)) {
            return;
        }
        if (!force) {
            throw new LosslabException(option + " " + out + " is not empty; choose a new folder, or pass --force to replace "
                    + "a folder losslab wrote");
        }
        if (!isOwned(out)) {
            throw new LosslabException(option + " " + out + " was not written by losslab (no " + MARKER + " in it); --force "
                    + "replaces only losslab's own folders: choose a new folder");
        }
    }

    /**
     * A new, marked, hidden folder beside {@code target} to write into ({@code .NAME.partial-PID}); a left-over of
     * the same name from a killed process is removed first.
     */
    public static Path createTemporarySibling(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + abs.getFileName() + ".partial-" + ProcessHandle.current().pid());
        delete(tmp);
        return create(tmp);
    }

    /**
     * Moves the finished folder {@code tmp} to {@code target}. {@code target} may be missing or empty; otherwise it must
     * be losslab's (checked by {@link #checkOutput} with --force): it is moved aside first and deleted after, so the
     * name always holds one complete result.
     */
    public static void publish(Path tmp, Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (isAbsentOrEmpty(abs)) {
            if (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(abs); // empty: nothing of anyone's is lost
            }
            move(tmp, abs);
            return;
        }
        if (!isOwned(abs)) {
            throw new IOException(target + " was not written by losslab; not replacing it");
        }
        Path aside = abs.resolveSibling("." + abs.getFileName() + ".replaced-" + ProcessHandle.current().pid());
        delete(aside);
        move(abs, aside);
        move(tmp, abs);
        deleteQuietly(aside);
    }

    /**
     * Moves the finished file {@code tmp} (inside a temporary sibling folder) to {@code target}, which must not exist:
     * a hard link is made first (the kernel refuses it atomically when the name is taken), then the temporary name
     * goes, so a file that appeared meanwhile is never replaced. Where links are not supported, a plain move that
     * refuses an existing target.
     */
    public static void publishFile(Path tmp, Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        try {
            Files.createLink(abs, tmp);
            Files.delete(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(target + " appeared while losslab was writing it; not replacing it");
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            if (e instanceof FileAlreadyExistsException || Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(target + " appeared while losslab was writing it; not replacing it");
            }
            Files.move(tmp, abs);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(to + " appeared while losslab was writing it; not replacing it");
        }
    }
}
