package dev.losslab.data;

import dev.losslab.LosslabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The files of a folder with one subfolder per class, found as Keras'
 * {@code image_dataset_from_directory(labels="inferred")} finds them ({@code keras/src/utils/
 * dataset_utils.py}, {@code index_directory}): classes are the sorted subfolder names not starting
 * with '.', or {@code classNames} (a subset, in its order, which fixes the labels); each class
 * folder is walked recursively without following linked folders, folders in sorted path order and
 * files sorted by name within each; a file counts when its name ends in .png, .jpg, .jpeg, .bmp or
 * .gif, case-insensitively. Unlike Keras, hidden files (names starting with '.', e.g. macOS
 * {@code ._x.png} forks) are skipped, and an empty class is an error unless {@code allowEmpty}
 * (torchvision's rule): both are counted and reported.
 *
 * @param root       the folder
 * @param classNames the classes, label i = classNames[i]
 * @param files      every image file, in label order then path order
 * @param relative   each file's path relative to {@code root}, '/'-separated
 * @param labels     each file's label
 * @param skipped    files that are not images (other extensions, hidden files)
 */
public record ImageFolder(Path root, List<String> classNames, List<Path> files, List<String> relative, int[] labels,
                          int skipped) {

    /** Indexes {@code root}; {@code classNames} null means every subfolder. */
    public static ImageFolder index(Path root, List<String> classNames, boolean allowEmpty) {
        List<String> classes = classes(root, classNames);
        List<Path> files = new ArrayList<>();
        List<String> relative = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int skipped = 0;
        List<String> empty = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            Path dir = root.resolve(classes.get(label));
            int before = files.size();
            List<Path> all = walk(dir);
            for (Path f : all) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || !isImageName(name)) {
                    skipped++;
                    continue;
                }
                files.add(f);
                relative.add(relativeName(root, f));
                labels.add(label);
            }
            if (files.size() == before) {
                empty.add(classes.get(label));
            }
        }
        if (!empty.isEmpty() && !allowEmpty) {
            throw new LosslabException(root + ": class folder" + (empty.size() > 1 ? "s " : " ") + join(empty)
                    + " hold" + (empty.size() > 1 ? "" : "s") + " no images (.png, .jpg, .jpeg, .bmp, .gif); remove "
                    + (empty.size() > 1 ? "them" : "it") + ", or set \"allowEmpty\": true to keep empty classes");
        }
        if (files.isEmpty()) {
            throw new LosslabException("no images found in " + root + " (allowed formats: .png, .jpg, .jpeg, .bmp, .gif)");
        }
        return new ImageFolder(root, classes, files, relative, labels.stream().mapToInt(Integer::intValue).toArray(), skipped);
    }

    /**
     * The classes of {@code root} (its sorted non-hidden subfolders, or {@code classNames} checked to be
     * a subset of them), without reading any file; one-line errors for a missing folder, no
     * subfolders, an unknown or repeated name, or fewer than two classes.
     */
    public static List<String> classes(Path root, List<String> classNames) {
        if (!Files.exists(root)) {
            throw new LosslabException("directory " + root + " does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new LosslabException(root + " is not a directory (want one subfolder per class)");
        }
        List<String> folders = subfolders(root);
        if (folders.isEmpty()) {
            throw new LosslabException(root + " holds no class subfolders; put each class's images in a subfolder "
                    + "named after the class (root/<class>/<image>), as Keras' image_dataset_from_directory expects");
        }
        List<String> classes;
        if (classNames != null) {
            for (String c : classNames) {
                if (!folders.contains(c)) {
                    throw new LosslabException("classNames: " + quoted(c) + " is not a subfolder of " + root
                            + " (subfolders: " + join(folders) + ")");
                }
            }
            if (classNames.stream().distinct().count() != classNames.size()) {
                throw new LosslabException("classNames lists a class twice: " + join(classNames));
            }
            classes = List.copyOf(classNames);
        } else {
            classes = folders;
        }
        if (classes.size() < 2) {
            throw new LosslabException(root + " has only one class (" + join(classes) + "); need at least 2 class subfolders");
        }
        return classes;
    }

    /** Sorted names of the subfolders of {@code root} that do not start with '.'. */
    public static List<String> subfolders(Path root) {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new LosslabException("cannot list " + root + " (" + e.getMessage() + ")");
        }
    }

    /** Regular files under {@code dir} (linked folders not followed), folders by sorted path, files by sorted name. */
    static List<Path> walk(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing((Path p) -> p.getParent().toString()).thenComparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new LosslabException("cannot walk " + dir + " (" + e.getMessage() + ")");
        }
    }

    static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return ImageDecoder.EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    static String relativeName(Path root, Path file) {
        Path r = root.relativize(file);
        StringBuilder sb = new StringBuilder();
        for (Path part : r) {
            sb.append(sb.length() == 0 ? "" : "/").append(part);
        }
        return sb.toString();
    }

    public int size() {
        return files.size();
    }

    /** Images per class. */
    public int[] classCounts() {
        int[] c = new int[classNames.size()];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }

    /** A name quoted with control characters escaped, so messages stay one line. */
    public static String quoted(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (char ch : s.toCharArray()) {
            sb.append(Character.isISOControl(ch) ? String.format(Locale.ROOT, "\\u%04x", (int) ch) : String.valueOf(ch));
        }
        return sb.append('\'').toString();
    }

    static String join(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size() && i < 20; i++) {
            sb.append(i == 0 ? "" : ", ").append(quoted(names.get(i)));
        }
        return names.size() > 20 ? sb + ", ... (" + names.size() + " in all)" : sb.toString();
    }
}
