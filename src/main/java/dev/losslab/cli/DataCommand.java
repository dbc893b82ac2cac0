package dev.losslab.cli;

import dev.losslab.data.FolderImages;
import dev.losslab.data.InputShape;
import dev.losslab.data.LabelledImages;
import dev.losslab.train.Precision;
import dev.losslab.util.OwnedFolder;
import dev.losslab.LosslabException;
import dev.losslab.data.ImageFolder;
import dev.losslab.data.NpyArray;
import dev.losslab.data.NpzFile;
import dev.losslab.data.PreparedData;
import dev.losslab.data.SourceData;
import dev.losslab.experiment.AnyConfig;
import dev.losslab.experiment.RunConfig;
import dev.losslab.experiment.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "data", mixinStandardHelpOptions = true,
        description = {"Load the images a config names (its \"data\" block, else Fashion-MNIST) and show what a run sees: "
                + "per-class counts of the source and of the run's train / validation / test sets, the imbalance ratio, "
                + "the image shape and the content SHA-256.",
                "--export writes the source's arrays (x_train, y_train, x_test, y_test as uint8 N x H x W x C and int64, "
                        + "in source order, and class_names; for folders also files_train, files_test) to an .npz that "
                        + "numpy.load reads."})
public final class DataCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "run or sweep config (JSON)")
    Path config;

    @Option(names = "--export", description = "write the decoded arrays to this .npz file")
    Path export;

    @Option(names = "--split", description = "with a sweep config: which split")
    String split;

    @Option(names = "--seed", description = "the run seed for the train / validation split (default: the config's)")
    Long seed;

    @Option(names = "--data-dir", description = "Fashion-MNIST folder, when the config has no data block")
    Path dataDir;

    @Option(names = "--force", description = "overwrite an existing --export file")
    boolean force;

    @Option(names = "--benchmark", description = "time the load twice with an empty private cache (first: decode, "
            + "second: from the cache) and report images/s and memory against the uint8 array; a measurement, "
            + "nothing is exported")
    boolean benchmark;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        RunConfig c = AnyConfig.runConfig(config, split, null, seed, System.err);
        c.validate();
        if (benchmark) {
            return benchmark(c);
        }
        if (export != null) {
            if (!export.getFileName().toString().endsWith(".npz")) {
                throw new LosslabException("--export " + export + ": the file name must end in .npz");
            }
            if (Files.exists(export) && !force) {
                throw new LosslabException("--export " + export + " exists; pass --force to overwrite it");
            }
            if (Files.isDirectory(export)) {
                throw new LosslabException("--export " + export + " is a directory");
            }
        }
        PrintWriter w = spec.commandLine().getOut();
        // what the source says ("Found N files belonging to K classes.") goes to stdout, as Keras prints it
        SourceData data = TrainingRun.loadData(c.data(), dataDir, new java.io.PrintStream(new LineWriter(w), true,
                java.nio.charset.StandardCharsets.UTF_8));
        PreparedData sets = PreparedData.prepare(data, c.dataSpec(), c.seed());
        c.model().checkInput(new InputShape(data.train().height(), data.train().width(),
                data.train().channels()));
        var p = data.provenance();
        w.println(String.format(Locale.ROOT, "source: %s, %d classes, images %dx%dx%d; test: %s", p.kind(),
                data.numClasses(), data.train().height(), data.train().width(), data.train().channels(), p.test()));
        w.println("content SHA-256: " + p.contentSha256());
        int[] cls = c.classes();
        int[] srcTrain = data.train().classCounts(data.numClasses());
        int[] srcTest = data.test().classCounts(data.numClasses());
        int[] tr = sets.train().classCounts();
        int[] va = sets.validation().classCounts();
        int[] te = sets.test().classCounts();
        int width = 5;
        for (int id : cls) {
            width = Math.max(width, Math.min(40, display(data.classNames().get(id)).length()));
        }
        String fmt = "%-4s %-" + width + "s %12s %11s %7s %10s %6s%n";
        w.printf(Locale.ROOT, fmt, "id", "class", "source-train", "source-test", "train", "validation", "test");
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < cls.length; i++) {
            String name = display(data.classNames().get(cls[i]));
            w.printf(Locale.ROOT, fmt, cls[i], name.length() > 40 ? name.substring(0, 37) + "..." : name,
                    srcTrain[cls[i]], srcTest[cls[i]], tr[i], va[i], te[i]);
            min = Math.min(min, tr[i] + va[i]);
            max = Math.max(max, tr[i] + va[i]);
        }
        w.printf(Locale.ROOT, fmt, "", "total", sum(srcTrain), sum(srcTest), sum(tr), sum(va), sum(te));
        w.println(min == 0 ? "imbalance ratio (largest / smallest class, train + validation): infinite (a class has no images)"
                : String.format(Locale.ROOT, "imbalance ratio (largest / smallest class, train + validation): %.2f", (double) max / min));
        if (export != null) {
            Map<String, byte[]> members = new LinkedHashMap<>();
            members.put("x_train", npy(data.train()));
            members.put("y_train", NpyArray.encodeInt64(data.train().labels()));
            members.put("x_test", npy(data.test()));
            members.put("y_test", NpyArray.encodeInt64(data.test().labels()));
            members.put("class_names", NpyArray.encodeStrings(data.classNames()));
            if (data.trainFiles() != null) {
                // which file each row came from (relative to its folder), to compare row by row with any loader
                members.put("files_train", NpyArray.encodeStrings(data.trainFiles()));
                members.put("files_test", NpyArray.encodeStrings(data.testFiles()));
            }
            NpzFile.write(export, members);
            w.println("wrote " + export + " (x_train " + shape(data.train()) + ", x_test " + shape(data.test()) + ")");
        }
        w.flush();
        return 0;
    }

    /** First (decoding) and second (cached) load in a fresh private cache, with heap figures. */
    private int benchmark(RunConfig c) throws IOException {
        if (c.data() == null) {
            throw new LosslabException("--benchmark measures a config's data block (a folder, IDX, npz or CIFAR files); "
                    + config + " has none");
        }
        PrintWriter w = spec.commandLine().getOut();
        Path cache = OwnedFolder.create(Files.createTempDirectory("losslab-bench-cache"));
        String saved = System.getProperty(FolderImages.CACHE_PROPERTY);
        System.setProperty(FolderImages.CACHE_PROPERTY, cache.toString());
        try {
            java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
            w.println(String.format(Locale.ROOT, "%-8s %9s %10s %12s %11s %14s %8s %17s", "load", "images", "seconds",
                    "images/s", "uint8 MiB", "retained MiB", "ratio", "peak heap MiB (*)"));
            for (String pass : List.of("first", "cached")) {
                System.gc();
                var pools = java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP).toList();
                long base = pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
                pools.forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
                long t0 = System.nanoTime();
                SourceData d = c.data().load(quiet);
                double secs = (System.nanoTime() - t0) / 1e9;
                long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() - base;
                long bytes = (long) d.train().pixels().length + d.test().pixels().length;
                int n = d.train().size() + d.test().size();
                System.gc();
                long retained = pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum() - base;
                w.println(String.format(Locale.ROOT, "%-8s %9d %10.2f %12.0f %11.1f %14.1f %8.2f %17.1f", pass, n, secs,
                        n / secs, bytes / 1048576.0, retained / 1048576.0, (double) retained / bytes, peak / 1048576.0));
                java.lang.ref.Reference.reachabilityFence(d);
                w.flush();
            }
            w.println("(*) the heap's high-water mark, garbage not yet collected included; retained = what the loaded data "
                    + "holds after a GC (the arrays, labels, class names)");
            w.println("cores " + Runtime.getRuntime().availableProcessors() + ", CPU " + Precision.cpuModel().trim()
                    + ", max heap " + Runtime.getRuntime().maxMemory() / 1048576 + " MiB");
        } finally {
            if (saved == null) {
                System.clearProperty(FolderImages.CACHE_PROPERTY);
            } else {
                System.setProperty(FolderImages.CACHE_PROPERTY, saved);
            }
            OwnedFolder.delete(cache);
        }
        w.flush();
        return 0;
    }

    private static byte[] npy(LabelledImages s) {
        return NpyArray.encode("|u1", new long[] {s.size(), s.height(), s.width(), s.channels()}, s.pixels());
    }

    private static String shape(LabelledImages s) {
        return "[" + s.size() + "," + s.height() + "," + s.width() + "," + s.channels() + "]";
    }

    /** Bytes (UTF-8) written through to a PrintWriter, flushed with it. */
    static final class LineWriter extends java.io.OutputStream {
        private final PrintWriter target;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

        LineWriter(PrintWriter target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            target.print(pending.toString(java.nio.charset.StandardCharsets.UTF_8));
            target.flush();
            pending.reset();
        }
    }

    /** A class name safe to print on one line (control characters escaped). */
    static String display(String name) {
        String q = ImageFolder.quoted(name);
        return q.equals("'" + name + "'") ? name : q;
    }

    private static int sum(int[] a) {
        int s = 0;
        for (int v : a) {
            s += v;
        }
        return s;
    }
}
