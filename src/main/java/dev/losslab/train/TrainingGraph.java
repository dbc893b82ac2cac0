package dev.losslab.train;

import dev.losslab.loss.DeferredReweighting;
import dev.losslab.network.ClassifierOutput;
import dev.losslab.network.Initializers;
import dev.losslab.network.NetworkGraph;
import dev.losslab.network.ResolvedNetwork;
import dev.losslab.recipe.Augmentation;
import dev.losslab.recipe.LearningRate;
import dev.losslab.recipe.Optimizer;
import dev.losslab.data.Images;
import dev.losslab.loss.Loss;
import dev.losslab.data.InputShape;
import dev.losslab.network.ModelSpec;
import dev.losslab.network.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One TF graph and session holding the network, a loss, the recipe's optimizer and augmentation, and the
 * training set; the inference pass is an {@link EvaluationPass}, weight copies a {@link WeightSnapshot}, a traced
 * step's kernel times {@link KernelTimes}.
 *
 * <p>Input pipeline: the training images and one-hot labels are copied once into graph variables
 * ({@link #loadTrainingSet}); each step feeds only the batch's int32 indices, the learning rate and the step
 * number, and the batch is gathered (and augmented, {@link Augmentation}) in the graph,
 * so one session call per step and no Java copies of pixels per batch. Gradients are taken for the model's
 * trainable variables only, and the update is {@link OptimizerGraph}'s (plain Adam: TF's {@code ApplyAdam},
 * Keras' update). With {@link Precision#BF16} the training forward and backward pass run in bfloat16 on float32
 * variables ({@link NetworkGraph#logitsBf16}).
 */
public final class TrainingGraph implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Session session;
    private final int numClasses;
    private final int trainSize;
    private final NetworkGraph model;
    private final ResolvedNetwork network;
    private final ModelSpec spec;
    private final InputShape input;
    private final Placeholder<TFloat32> imagesIn;
    private final Placeholder<TFloat32> labelsIn;
    private final Variable<TFloat32> trainImages;
    private final Variable<TFloat32> trainLabels;
    private final Op loadData;
    private final Placeholder<TInt32> batchIndices;
    private final Operand<TFloat32> batchLoss;
    private final Operand<TFloat32> batchCorrect;
    private float lastCorrect;
    private final Op trainStep;
    private final EvaluationPass evaluation;
    private final WeightSnapshot snapshot;
    private final DeferredReweighting drw;
    private final org.tensorflow.op.core.PlaceholderWithDefault<TFloat32> drwInput;
    private final TFloat32 drwWeights;
    private boolean reweighting;
    private final Placeholder<TFloat32> learningRateIn;
    private final Placeholder<TFloat32> localStepIn;
    private final Optimizer optimizer;
    private double learningRate;
    private long iterations;

    /**
     * @param trainSize number of training images {@link #loadTrainingSet} will receive (TF variables
     *                  need a fully defined shape)
     */
    public TrainingGraph(int numClasses, ModelSpec spec, Loss loss, TrainingOptions options, int trainSize) {
        this(numClasses, spec, InputShape.FASHION_MNIST, loss, options, trainSize);
    }

    /** As above, for {@code input} images. */
    public TrainingGraph(int numClasses, ModelSpec spec, InputShape input, Loss loss, TrainingOptions options, int trainSize) {
        this(spec, spec.resolve(input, numClasses), loss, options, trainSize);
    }

    /** As above, for a network already resolved for its input and classes (a run resolves it once). */
    public TrainingGraph(ModelSpec spec, ResolvedNetwork network, Loss loss, TrainingOptions options,
                         int trainSize) {
        this(spec, network, null, loss, options, trainSize);
    }

    /**
     * As above, starting from {@code initial} weights (in {@code network.weights()} order, e.g. a Keras file's);
     * null: Keras' initializers drawn from the run's seed.
     */
    public TrainingGraph(ModelSpec spec, ResolvedNetwork network, List<Parameter> initial, Loss loss,
                         TrainingOptions options, int trainSize) {
        int numClasses = network.numClasses();
        InputShape input = network.input();
        SessionFactory.checkDevice(options.device());
        options.precision().check(options.device());
        this.numClasses = numClasses;
        this.spec = spec;
        this.input = input;
        this.trainSize = trainSize;
        Ops tf = Ops.create(graph).withDevice(options.device().spec());
        this.network = network;
        model = NetworkGraph.create(tf, network, initial != null ? initial
                : Initializers.initialValues(network, options.seed()), options.seed());

        Ops data = tf.withSubScope("data");
        imagesIn = data.placeholder(TFloat32.class, Placeholder.shape(ClassifierOutput.inputShape(input)));
        labelsIn = data.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, numClasses)));
        trainImages = data.variable(Shape.of(trainSize, input.height(), input.width(), input.channels()), TFloat32.class);
        trainLabels = data.variable(Shape.of(trainSize, numClasses), TFloat32.class);
        var assignImages = data.assign(trainImages, imagesIn);
        var assignLabels = data.assign(trainLabels, labelsIn);
        loadData = data.withControlDependencies(assignImages, assignLabels).noOp();

        batchIndices = data.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        Operand<TFloat32> gathered = data.gather(trainImages, batchIndices, data.constant(0));
        Operand<TFloat32> y = data.gather(trainLabels, batchIndices, data.constant(0));
        // bf16 trains in bfloat16; evaluation (and the exported SavedModel) stays float32
        learningRateIn = data.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        localStepIn = data.withName("local_step").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        var augmentation = options.recipe().augmentation();
        Operand<TFloat32> x = augmentation.isEmpty() ? gathered : augmentation.apply(tf, gathered,
                input.height(), input.width(), options.seed(), localStepIn);
        Operand<TFloat32> trainLogits = model.trainingLogits(tf, x, options.precision() == Precision.BF16);
        DeferredReweighting d = loss.deferredReweighting();
        if (d != null && d.reweightFromEpoch() > 0) {
            // deferred re-weighting: the training loss reads its class weights from an input that defaults to ones
            drw = d;
            drwInput = data.withName("class_weights").placeholderWithDefault(
                    data.fill(data.constant(new int[] {numClasses}), data.constant(1f)), Shape.of(numClasses));
            float[] w = new float[numClasses];
            for (int c = 0; c < numClasses; c++) {
                w[c] = (float) d.classWeights()[c];
            }
            drwWeights = TFloat32.vectorOf(w);
            batchLoss = withRegularization(tf, d.computeWeighted(tf, y, trainLogits, numClasses, drwInput));
        } else {
            drw = null;
            drwInput = null;
            drwWeights = null;
            batchLoss = withRegularization(tf, loss.compute(tf, y, trainLogits, numClasses));
        }
        batchCorrect = correct(data, y, trainLogits, numClasses);
        optimizer = options.recipe().optimizer();
        learningRate = optimizer.learningRate() instanceof LearningRate.Constant c ? c.value() : Double.NaN;
        Op adamStep = OptimizerGraph.build(tf, optimizer, batchLoss, model.trainable(), learningRateIn, localStepIn);
        // BatchNormalization's moving statistics do not feed the loss: they run with the step
        trainStep = model.updates().isEmpty() ? adamStep
                : tf.withControlDependencies(concat(adamStep, model.updates())).withName("step_and_updates").noOp();
        evaluation = new EvaluationPass(tf, model, loss, input, numClasses, l -> withRegularization(tf.withSubScope("eval"), l));
        snapshot = new WeightSnapshot(graph, model.variables());

        session = new Session(graph, SessionFactory.config(options));
        session.initialize();
        model.initialize(session);
    }

    private static List<Op> concat(Op first, List<Op> rest) {
        List<Op> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** The loss plus Keras' kernel_regularizer terms, when the network has any (as Keras' reported loss). */
    private Operand<TFloat32> withRegularization(Ops tf, Operand<TFloat32> loss) {
        boolean any = network.layers().stream().anyMatch(l -> l.kernelRegularizer() != null);
        return any ? tf.math.add(loss, model.regularization(tf)) : loss;
    }

    /**
     * How many of a batch's images the network (before the step's update) put in their class: the
     * argmax of the logits (two classes: a logit > 0) against the one-hot label, summed in the graph
     * so a step fetches one more scalar (Keras' running training accuracy).
     */
    static Operand<TFloat32> correct(Ops tf, Operand<TFloat32> oneHot, Operand<TFloat32> logits, int numClasses) {
        var truth = tf.math.argMax(oneHot, tf.constant(1), org.tensorflow.types.TInt64.class);
        Operand<org.tensorflow.types.TInt64> predicted = numClasses == 2
                ? tf.dtypes.cast(tf.math.greater(tf.reshape(logits, tf.constant(new int[] {-1})), tf.constant(0f)),
                        org.tensorflow.types.TInt64.class)
                : tf.math.argMax(logits, tf.constant(1), org.tensorflow.types.TInt64.class);
        return tf.reduceSum(tf.dtypes.cast(tf.math.equal(predicted, truth), TFloat32.class), tf.constant(0));
    }

    /** Images of the last step's batch the network classified right (see {@link #correct}). */
    public float lastCorrect() {
        return lastCorrect;
    }

    /** Copies the training set into the graph once; steps then refer to it by index. */
    public void loadTrainingSet(Images train) {
        if (train.size() != trainSize) {
            throw new IllegalArgumentException("graph was built for " + trainSize + " training images, got " + train.size());
        }
        try (TFloat32 images = imageTensor(train.pixels(), input, 0, train.size());
             TFloat32 labels = TFloat32.tensorOf(Shape.of(train.size(), numClasses),
                     DataBuffers.of(OneHot.encode(train.labels(), numClasses), true, false))) {
            session.runner().feed(imagesIn, images).feed(labelsIn, labels).addTarget(loadData).run().close();
        }
    }

    /** Tells the graph which epoch (1-based) the next steps belong to (deferred re-weighting switches on by epoch). */
    public void startEpoch(int epoch) {
        reweighting = drw != null && epoch >= drw.reweightFromEpoch();
    }

    /**
     * The rate the next steps use, for an optimizer with a constant rate (ReduceLROnPlateau changes it); a
     * schedule's rate follows the step count and cannot be set, as in Keras.
     */
    public void setLearningRate(double rate) {
        if (!(optimizer.learningRate() instanceof LearningRate.Constant)) {
            throw new IllegalStateException("the learning rate follows a schedule");
        }
        learningRate = rate;
    }

    /** The rate of the next step: the constant (as set), or the schedule at the current step count. */
    public double learningRate() {
        return Double.isNaN(learningRate) ? scheduled.at(iterations) : learningRate;
    }

    /** Steps taken so far (Keras' {@code optimizer.iterations}). */
    public long iterations() {
        return iterations;
    }

    private LearningRate scheduled;

    /** Converts a schedule counted in epochs with the run's steps per epoch (once, before training). */
    public void stepsPerEpoch(int steps) {
        scheduled = optimizer.learningRate().inSteps(steps);
    }

    /** A session call that runs one optimizer step on the rows {@code indices} and fetches the batch loss. */
    private Session.Runner stepRunner(TInt32 indices, TFloat32 lr, TFloat32 localStep) {
        Session.Runner r = session.runner().feed(batchIndices, indices).feed(learningRateIn, lr).feed(localStepIn, localStep)
                .addTarget(trainStep).fetch(batchLoss).fetch(batchCorrect);
        return reweighting ? r.feed(drwInput, drwWeights) : r;
    }

    private TFloat32 lrTensor() {
        if (scheduled == null) {
            stepsPerEpoch(1);
        }
        return TFloat32.scalarOf((float) learningRate());
    }

    /** One Adam step on the training-set rows {@code indices}; returns the batch loss before the update. */
    public float step(TInt32 indices) {
        try (TFloat32 lr = lrTensor(); TFloat32 t = TFloat32.scalarOf(iterations + 1);
             var r = stepRunner(indices, lr, t).run()) {
            iterations++;
            lastCorrect = ((TFloat32) r.get(1)).getFloat();
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /**
     * {@link #step} that also adds the nanoseconds spent in the session call to {@code nanos[0]}
     * and in reading the fetched loss to {@code nanos[1]} (for the benchmark's time split).
     */
    public float step(TInt32 indices, long[] nanos) {
        long t0 = System.nanoTime();
        try (TFloat32 lr = lrTensor(); TFloat32 t = TFloat32.scalarOf(iterations + 1);
             var r = stepRunner(indices, lr, t).run()) {
            iterations++;
            long t1 = System.nanoTime();
            float loss = ((TFloat32) r.get(0)).getFloat();
            lastCorrect = ((TFloat32) r.get(1)).getFloat();
            nanos[0] += t1 - t0;
            nanos[1] += System.nanoTime() - t1;
            return loss;
        }
    }

    /**
     * Runs one step with TF's full trace and adds each kernel's time (microseconds, by the node's own
     * start-to-end time) to {@code microsByOpType} ({@link KernelTimes}).
     */
    public void profileStep(TInt32 indices, java.util.Map<String, Long> microsByOpType) {
        var options = org.tensorflow.proto.RunOptions.newBuilder()
                .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build();
        try (TFloat32 lr = lrTensor(); TFloat32 t = TFloat32.scalarOf(iterations + 1);
             var r = stepRunner(indices, lr, t).setOptions(options).runAndFetchMetadata()) {
            iterations++;
            KernelTimes.add(r.getMetadata().orElseThrow(), graph, microsByOpType);
        }
    }

    /** Class probabilities {@code [n, K]} (row-major) for {@code images}, computed in chunks (the inference pass). */
    public float[] probabilities(Images images, int chunk) {
        return evaluation.probabilities(session, images, chunk);
    }

    /** The logits {@code [n, units]} (row-major) for {@code images}: the inference pass without its softmax / sigmoid. */
    public float[] logits(Images images, int chunk) {
        return evaluation.logits(session, images, chunk);
    }

    /** The loss on {@code images} as Keras reports validation loss (see {@link EvaluationPass#loss}). */
    public double loss(Images images, int batchSize) {
        return evaluation.loss(session, images, batchSize);
    }

    /** A copy of every model variable (weights and moving statistics), as Keras' {@code get_weights}. */
    public List<float[]> weights() {
        return snapshot.take(session);
    }

    /** Puts back weights taken by {@link #weights()} (Keras' {@code set_weights}); optimizer state is left as it is. */
    public void restoreWeights(List<float[]> values) {
        snapshot.restore(session, values);
    }

    /** The model's current parameter values, for export. */
    public List<Parameter> parameters() {
        var weights = network.weights();
        var runner = session.runner();
        for (var v : model.variables()) {
            runner.fetch(v);
        }
        List<Parameter> out = new ArrayList<>();
        try (var r = runner.run()) {
            for (int i = 0; i < weights.size(); i++) {
                float[] values = new float[(int) weights.get(i).size()];
                ((TFloat32) r.get(i)).copyTo(DataBuffers.of(values, false, false));
                out.add(new Parameter(weights.get(i).name(), weights.get(i).shape(), values));
            }
        }
        return out;
    }

    public int numClasses() {
        return numClasses;
    }

    public ModelSpec spec() {
        return spec;
    }

    public InputShape input() {
        return input;
    }

    /** The network as resolved for this graph (shapes, weights, parameter counts). */
    public ResolvedNetwork network() {
        return network;
    }

    static TFloat32 imageTensor(float[] pixels, InputShape input, int from, int to) {
        long per = input.perImage();
        return TFloat32.tensorOf(Shape.of(to - from, input.height(), input.width(), input.channels()),
                DataBuffers.of(pixels, true, false).slice(from * per, (to - from) * per));
    }

    @Override
    public void close() {
        if (drwWeights != null) {
            drwWeights.close();
        }
        session.close();
        graph.close();
    }
}
