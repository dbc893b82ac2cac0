package dev.losslab.network;

import dev.losslab.data.InputShape;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The {@link CnnArchitecture} described by a {@link ModelSpec}, built as TF graph ops (NHWC,
 * float32) on graph variables that start from the given parameter values. {@link #logits} may be
 * applied to several inputs (a training batch, an evaluation placeholder); they all share the same
 * variables. {@link #forward} is the same network on any parameter operands and number type (tests
 * check it in float64 against a plain-Java reference).
 */
public final class CnnGraph {
    private static final List<Long> STRIDE_1 = List.of(1L, 1L, 1L, 1L);

    private final int numClasses;
    private final ModelSpec spec;
    private final InputShape input;
    private final List<String> names = new ArrayList<>();
    private final List<Variable<TFloat32>> variables = new ArrayList<>();

    private CnnGraph(ModelSpec spec, InputShape input, int numClasses) {
        this.spec = spec;
        this.input = input;
        this.numClasses = numClasses;
    }

    /** Creates the variables under {@code tf}'s scope, initialised to {@code parameters} (28x28x1 input). */
    public static CnnGraph create(Ops tf, ModelSpec spec, int numClasses, List<Parameter> parameters) {
        return create(tf, spec, InputShape.FASHION_MNIST, numClasses, parameters);
    }

    /** Creates the variables for {@code input} images under {@code tf}'s scope, initialised to {@code parameters}. */
    public static CnnGraph create(Ops tf, ModelSpec spec, InputShape input, int numClasses, List<Parameter> parameters) {
        List<Parameter> expected = CnnArchitecture.shapes(spec, input, numClasses);
        if (parameters.size() != expected.size()) {
            throw new IllegalArgumentException(parameters.size() + " parameters, expected " + expected.size());
        }
        CnnGraph g = new CnnGraph(spec, input, numClasses);
        Ops scope = tf.withSubScope("cnn");
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            if (!p.name().equals(expected.get(i).name()) || !Shape.of(p.shape()).equals(Shape.of(expected.get(i).shape()))) {
                throw new IllegalArgumentException("parameter " + i + " is " + p.name() + Shape.of(p.shape())
                        + ", expected " + expected.get(i).name() + Shape.of(expected.get(i).shape()) + " (" + spec.describe(input) + ")");
            }
            var init = scope.constant(Shape.of(p.shape()), DataBuffers.of(p.values(), true, false));
            g.names.add(p.name());
            g.variables.add(scope.withName(p.name().replace('/', '_')).variable(init));
        }
        return g;
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

    public List<Variable<TFloat32>> variables() {
        return variables;
    }

    public List<String> names() {
        return names;
    }

    /**
     * Pre-activation outputs for a batch of images {@code [B, 28, 28, 1]}: {@code [B, 1]} for two
     * classes (sigmoid logit of class 1), {@code [B, K]} otherwise (softmax logits).
     */
    public Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images) {
        return forward(tf, spec, input, images, variables);
    }

    /**
     * The forward pass computed in bfloat16: images and weights are cast from float32 (the variables,
     * and so Adam's updates, stay float32; the casts' gradients bring the bf16 gradients back to
     * float32), convolutions, pooling and dense layers run in bfloat16 on oneDNN, and the logits are
     * cast back to float32 so the loss is computed in float32.
     */
    public Operand<TFloat32> logitsBf16(Ops tf, Operand<TFloat32> images) {
        List<Operand<org.tensorflow.types.TBfloat16>> half = new ArrayList<>();
        for (var v : variables) {
            half.add(tf.dtypes.cast(v, org.tensorflow.types.TBfloat16.class));
        }
        var out = forward(tf, spec, input, tf.dtypes.cast(images, org.tensorflow.types.TBfloat16.class), half);
        return tf.dtypes.cast(out, TFloat32.class);
    }

    /**
     * The network on {@code images} with the parameters in {@link CnnArchitecture#shapes} order:
     * three blocks of Conv2D 3x3 stride 1 + bias + ReLU + MaxPool 2x2 stride 2 (both with the
     * spec's padding), Flatten, Dense + ReLU, Dense (logits).
     */
    public static <T extends TNumber> Operand<T> forward(Ops tf, ModelSpec spec, Operand<T> images,
                                                         List<? extends Operand<T>> params) {
        return forward(tf, spec, InputShape.FASHION_MNIST, images, params);
    }

    /** {@link #forward(Ops, ModelSpec, Operand, List)} on {@code input} images. */
    public static <T extends TNumber> Operand<T> forward(Ops tf, ModelSpec spec, InputShape input, Operand<T> images,
                                                         List<? extends Operand<T>> params) {
        Ops s = tf.withSubScope("cnn_forward");
        Operand<T> x = convBlock(s, spec, images, params, 0);
        x = convBlock(s, spec, x, params, 2);
        x = convBlock(s, spec, x, params, 4);
        x = s.reshape(x, s.constant(new int[] {-1, spec.flatSize(input)}));
        x = s.nn.relu(s.nn.biasAdd(s.linalg.matMul(x, params.get(6)), params.get(7)));
        return s.nn.biasAdd(s.linalg.matMul(x, params.get(8)), params.get(9));
    }

    private static <T extends TNumber> Operand<T> convBlock(Ops s, ModelSpec spec, Operand<T> x,
                                                            List<? extends Operand<T>> params, int at) {
        Operand<T> conv = s.nn.conv2d(x, params.get(at), STRIDE_1, spec.padding().tfName());
        Operand<T> act = s.nn.relu(s.nn.biasAdd(conv, params.get(at + 1)));
        return maxPool2x2(s, act, spec.padding());
    }

    /**
     * 2x2 max pooling, stride 2, as TF's {@code MaxPool} op with the window in attributes (Keras'
     * MaxPooling2D calls the same op with the same padding, so SAME pads 7 -> 4 at the bottom/right
     * with cells that never win). TF Java's {@code nn.maxPool} emits {@code MaxPoolV2} (window as
     * tensors), which oneDNN does not rewrite: its gradient kernel took ~40% of a training step here
     * (bench --profile), the oneDNN one a fraction of that. Same values.
     */
    static <T extends TNumber> Operand<T> maxPool2x2(Ops s, Operand<T> x, ModelSpec.Padding padding) {
        var op = s.scope().opBuilder("MaxPool", "MaxPool")
                .addInput(x.asOutput())
                .setAttr("ksize", new long[] {1, 2, 2, 1})
                .setAttr("strides", new long[] {1, 2, 2, 1})
                .setAttr("padding", padding.tfName())
                .build();
        return op.<T>output(0);
    }

    /** Class probabilities {@code [B, K]}: {@code [1 - sigmoid, sigmoid]} for two classes, softmax otherwise. */
    public static Operand<TFloat32> probabilities(Ops tf, Operand<TFloat32> logits, int numClasses) {
        return ClassifierOutput.probabilities(tf, logits, numClasses);
    }

    /** The input shape the model expects, batch dimension unknown. */
    public static Shape inputShape() {
        return inputShape(InputShape.FASHION_MNIST);
    }

    /** {@code [-1, H, W, C]}. */
    public static Shape inputShape(InputShape input) {
        return Shape.of(-1, input.height(), input.width(), input.channels());
    }
}
