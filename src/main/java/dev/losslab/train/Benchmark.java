package dev.losslab.train;

import dev.losslab.data.InputShape;
import dev.losslab.network.ResolvedNetwork;
import dev.losslab.recipe.Recipe;
import dev.losslab.data.Images;
import dev.losslab.data.Shuffle;
import dev.losslab.loss.Loss;
import dev.losslab.network.ModelSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.IntDataBuffer;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Throughput of the training step, of inference and of a large matrix product (the machine's
 * practical peak) on synthetic 28x28 data. A measurement tool, not a test.
 */
public final class Benchmark {
    /**
     * Forward + backward FLOPs per training sample (multiply-adds counted as 2): three times
     * the forward pass on Fashion-MNIST's 28x28x1 ({@link ResolvedNetwork#forwardFlops}; the
     * backward pass computes gradients with respect to inputs and weights): ~16.2 MFLOP with valid padding, ~27.4
     * MFLOP with same.
     */
    public static double trainFlopsPerSample(ModelSpec spec, int numClasses) {
        return trainFlopsPerSample(spec, InputShape.FASHION_MNIST, numClasses);
    }

    /** As above for any network on {@code input} images ({@link ResolvedNetwork#forwardFlops}). */
    public static double trainFlopsPerSample(ModelSpec spec, InputShape input, int numClasses) {
        return 3 * spec.resolve(input, numClasses).forwardFlops();
    }

    /** @param trainOnly measure only the training steps (e.g. to compare losses) */
    public record Settings(int numClasses, int trainSteps32, int trainSteps128, int inferSamples, int threads,
                           Device device, boolean trainOnly, int interOpThreads, boolean xla, int batch, ModelSpec model,
                           Precision precision, InputShape input, Recipe recipe) {
        public Settings(int numClasses, int trainSteps32, int trainSteps128, int inferSamples, int threads, Device device,
                        boolean trainOnly, int interOpThreads, boolean xla, int batch, ModelSpec model, Precision precision) {
            this(numClasses, trainSteps32, trainSteps128, inferSamples, threads, device, trainOnly, interOpThreads, xla, batch,
                    model, precision, InputShape.FASHION_MNIST, null);
        }

        public Settings(int numClasses, int trainSteps32, int trainSteps128, int inferSamples, int threads, Device device,
                        boolean trainOnly, int interOpThreads, boolean xla, int batch, ModelSpec model, Precision precision,
                        InputShape input) {
            this(numClasses, trainSteps32, trainSteps128, inferSamples, threads, device, trainOnly, interOpThreads, xla, batch,
                    model, precision, input, null);
        }

        /** The same measurement with another recipe (null: Adam at 1e-3, no augmentation). */
        public Settings withRecipe(Recipe r) {
            return new Settings(numClasses, trainSteps32, trainSteps128, inferSamples, threads, device, trainOnly,
                    interOpThreads, xla, batch, model, precision, input, r);
        }

        TrainingOptions options(int batch) {
            return new TrainingOptions(1, batch, 1e-3, 1, device, threads, interOpThreads, xla, precision, recipe);
        }
    }

    private Benchmark() {
    }

    /** Runs every measurement; the map keeps insertion order for printing and JSON. */
    public static Map<String, Object> run(Settings s, Loss loss) {
        Map<String, Object> out = new LinkedHashMap<>();
        Images data = synthetic(4096, s.numClasses(), 42, s.input());
        out.put("loss", loss.name());
        out.put("num_classes", s.numClasses());
        out.put("network", s.model().describe(s.input()));
        out.put("params", s.model().resolve(s.input(), s.numClasses()).trainableParams());
        out.put("precision", s.precision().configName());
        out.put("onednn", OneDnn.state());
        out.put("cpu", Precision.cpuModel().trim());
        out.put("train_mflop_per_sample", trainFlopsPerSample(s.model(), s.input(), s.numClasses()) / 1e6);
        StepTiming t32 = trainThroughput(data, loss, 32, s.trainSteps32(), s);
        StepTiming t128 = trainThroughput(data, loss, 128, s.trainSteps128(), s);
        out.put("train_samples_per_s_b32", t32.samplesPerSecond());
        out.put("train_samples_per_s_b128", t128.samplesPerSecond());
        double b32 = t32.samplesPerSecond();
        out.put("train_ms_per_step_b32", 32_000 / b32);
        out.put("step_feed_ms_b32", t32.feedMs());
        out.put("step_session_run_ms_b32", t32.runMs());
        out.put("step_fetch_ms_b32", t32.fetchMs());
        if (s.batch() != 32 && s.batch() != 128) {
            StepTiming tb = trainThroughput(data, loss, s.batch(), s.trainSteps32(), s);
            out.put("train_samples_per_s_b" + s.batch(), tb.samplesPerSecond());
        }
        double lossMs = lossMillisPerStep(loss, s.numClasses(), 32, s);
        out.put("loss_ms_per_step_b32", lossMs);
        out.put("loss_share_of_step_b32", lossMs / (32_000 / b32));
        out.put("train_gflops_b32", b32 * trainFlopsPerSample(s.model(), s.input(), s.numClasses()) / 1e9);
        if (!s.trainOnly()) {
            out.put("infer_samples_per_s", inferThroughput(synthetic(s.inferSamples(), s.numClasses(), 7, s.input()), loss, s));
            double sgemm = sgemmGflops(2048, s);
            out.put("sgemm_gflops", sgemm);
            out.put("train_share_of_sgemm", (double) out.get("train_gflops_b32") / sgemm);
        }
        out.put("threads", s.threads() > 0 ? s.threads() : Runtime.getRuntime().availableProcessors());
        out.put("inter_op_threads", s.interOpThreads());
        out.put("xla", s.xla());
        out.put("device", s.device().toString());
        return out;
    }

    /** Samples/s of training steps at {@code batch}, and where the time went (feed, session run, fetch). */
    record StepTiming(double samplesPerSecond, double feedMs, double runMs, double fetchMs) {
    }

    static StepTiming trainThroughput(Images data, Loss loss, int batch, int steps, Settings s) {
        TrainingOptions options = s.options(batch);
        try (TrainingGraph graph = new TrainingGraph(s.numClasses(), s.model(), s.input(), loss, options, data.size())) {
            int warmup = Math.max(5, steps / 10);
            long[] start = new long[1];
            long[] feed = new long[1];
            long[] runFetch = new long[2];
            steps(graph, data, batch, warmup + steps, (i, idx, feedNanos) -> {
                if (i == warmup) {
                    start[0] = System.nanoTime();
                    feed[0] = 0;
                    runFetch[0] = 0;
                    runFetch[1] = 0;
                }
                feed[0] += feedNanos;
                graph.step(idx, runFetch);
            });
            double seconds = (System.nanoTime() - start[0]) / 1e9;
            return new StepTiming(steps * (double) batch / seconds, feed[0] / 1e6 / steps, runFetch[0] / 1e6 / steps,
                    runFetch[1] / 1e6 / steps);
        }
    }

    /** One timed step: its number, the batch's row indices, and the nanoseconds spent building the indices tensor. */
    interface Step {
        void run(int i, TInt32 indices, long feedNanos);
    }

    /**
     * The benchmark's step loop: the training set loaded once, a fixed shuffled order, {@code count} consecutive
     * batches of {@code batch} rows (wrapping around), each handed to {@code step}. Not {@link Trainer}'s epoch loop:
     * no epochs, no validation, no callbacks, so only the step is timed.
     */
    static void steps(TrainingGraph graph, Images data, int batch, int count, Step step) {
        graph.loadTrainingSet(data);
        IntDataBuffer order = DataBuffers.of(Shuffle.permutation(data.size(), new SplittableRandom(3)), true, false);
        for (int i = 0; i < count; i++) {
            int from = (i * batch) % (data.size() - batch);
            long f0 = System.nanoTime();
            try (TInt32 idx = TInt32.tensorOf(Shape.of(batch), order.slice(from, batch))) {
                step.run(i, idx, System.nanoTime() - f0);
            }
        }
    }

    /**
     * Where a training step's time goes, by TF op type: milliseconds per step summed over each
     * type's nodes (from TF's full trace, so slightly inflated by tracing), largest first.
     */
    public static Map<String, Object> profile(Loss loss, int numClasses, int batch, int steps, Settings s) {
        Images data = synthetic(4096, numClasses, 42, s.input());
        Map<String, Long> micros = new java.util.HashMap<>();
        try (TrainingGraph graph = new TrainingGraph(numClasses, s.model(), s.input(), loss, s.options(batch), data.size())) {
            steps(graph, data, batch, 20 + steps, (i, idx, feedNanos) -> {
                if (i < 20) {
                    graph.step(idx);
                } else {
                    graph.profileStep(idx, micros);
                }
            });
        }
        Map<String, Object> out = new LinkedHashMap<>();
        micros.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put("op_ms_per_step_" + e.getKey(), e.getValue() / 1000.0 / steps));
        return out;
    }

    /**
     * The loss's own cost per training step at batch {@code batch}: forward value plus gradient with
     * respect to the logits, timed in isolation (median of 5 blocks of 500 runs) minus the same
     * session call fetching only the logits. Whole-step timings on a shared 2-core machine vary by
     * more than a loss costs, so this is the measurement that can answer "what does the loss cost".
     */
    static double lossMillisPerStep(Loss loss, int k, int batch, Settings s) {
        int units = k == 2 ? 1 : k;
        SplittableRandom random = new SplittableRandom(5);
        float[] logits = new float[batch * units];
        float[] labels = new float[batch * k];
        for (int i = 0; i < batch; i++) {
            for (int c = 0; c < units; c++) {
                logits[i * units + c] = (float) random.nextGaussian();
            }
            labels[i * k + (i % 7 == 0 ? 1 : 0) % k] = 1;
        }
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g).withDevice(s.device().spec());
            var x = tf.placeholder(TFloat32.class);
            var y = tf.constant(Shape.of(batch, k), DataBuffers.of(labels, true, false));
            var value = loss.compute(tf, y, x, k);
            var grad = tf.gradients(value, java.util.List.of(x)).dy(0);
            var base = tf.identity(x);
            try (Session session = new Session(g, SessionFactory.config(s.device(), s.threads()));
                 TFloat32 in = TFloat32.tensorOf(Shape.of(batch, units), DataBuffers.of(logits, true, false))) {
                double withLoss = medianMillis(() -> session.runner().feed(x, in).fetch(value).fetch(grad).run().close());
                double baseline = medianMillis(() -> session.runner().feed(x, in).fetch(base).run().close());
                return Math.max(0, withLoss - baseline);
            }
        }
    }

    private static double medianMillis(Runnable call) {
        for (int i = 0; i < 200; i++) {
            call.run();
        }
        double[] blocks = new double[5];
        for (int b = 0; b < blocks.length; b++) {
            long start = System.nanoTime();
            for (int i = 0; i < 500; i++) {
                call.run();
            }
            blocks[b] = (System.nanoTime() - start) / 1e6 / 500;
        }
        java.util.Arrays.sort(blocks);
        return blocks[blocks.length / 2];
    }

    static double inferThroughput(Images data, Loss loss, Settings s) {
        TrainingOptions options = s.options(32);
        try (TrainingGraph graph = new TrainingGraph(s.numClasses(), s.model(), s.input(), loss, options, 1)) {
            graph.probabilities(data, 1024);
            double best = 0;
            for (int rep = 0; rep < 3; rep++) {
                long start = System.nanoTime();
                graph.probabilities(data, 1024);
                best = Math.max(best, data.size() / ((System.nanoTime() - start) / 1e9));
            }
            return best;
        }
    }

    /** GFLOP/s of a TF MatMul of two n x n float32 matrices (2 n^3 FLOPs), best of several runs. */
    static double sgemmGflops(int n, Settings s) {
        SplittableRandom random = new SplittableRandom(11);
        float[] a = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble();
        }
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g).withDevice(s.device().spec());
            // a variable, not a constant: Grappler would fold a product of constants before timing
            var x = tf.variable(tf.constant(Shape.of(n, n), DataBuffers.of(a, true, false)));
            var y = tf.linalg.matMul(x, x);
            var sum = tf.reduceSum(y, tf.constant(new int[] {0, 1}));
            try (Session session = new Session(g, SessionFactory.config(s.device(), s.threads()))) {
                session.initialize();
                session.runner().fetch(sum).run().close();
                double best = 0;
                for (int rep = 0; rep < 5; rep++) {
                    long start = System.nanoTime();
                    try (var r = session.runner().fetch(sum).run()) {
                        ((TFloat32) r.get(0)).getFloat();
                    }
                    best = Math.max(best, 2.0 * n * n * n / ((System.nanoTime() - start) / 1e9) / 1e9);
                }
                return best;
            }
        }
    }

    /** Random pixels, balanced random labels, seeded (28 x 28 x 1). */
    public static Images synthetic(int n, int numClasses, long seed) {
        return synthetic(n, numClasses, seed, InputShape.FASHION_MNIST);
    }

    /** Random pixels of {@code input}'s shape, balanced random labels, seeded. */
    public static Images synthetic(int n, int numClasses, long seed, InputShape input) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[n * input.perImage()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % numClasses;
        }
        return new Images(pixels, labels, numClasses, input.height(), input.width(), input.channels());
    }
}
