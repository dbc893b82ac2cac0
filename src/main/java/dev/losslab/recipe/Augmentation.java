package dev.losslab.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.losslab.LosslabException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A config's {@code "augmentation"} list: Keras' image preprocessing layers put in front of the network, applied
 * to each training batch and skipped as a whole at inference (as a {@code tf.data} pipeline's augmentation is), so
 * the exported SavedModel is the inference graph. Keras 3.15's arguments and semantics
 * (keras/src/layers/preprocessing/image_preprocessing): RandomFlip, RandomCrop (one offset per batch, as Keras;
 * losslab's {@code "per_image": true} draws one per image, the field's CIFAR recipe), RandomTranslation,
 * RandomRotation and RandomZoom (TF's ImageProjectiveTransformV3 with Keras' matrices, fill modes and
 * interpolation), RandomContrast, RandomBrightness,
 * and ZeroPadding2D for the pad-then-crop recipe. {@code value_range} defaults to the run's pixel scale ([0, 1]
 * for unit-scaled pixels, [0, 255] raw) rather than Keras' [0, 255], because here it applies to what the network
 * is fed. The field's CIFAR recipe in one line:
 * {@code [{"ZeroPadding2D": {"padding": 4}}, {"RandomCrop": {"height": 32, "width": 32, "per_image": true}},
 * {"RandomFlip": {"mode": "horizontal"}}]}.
 */
public record Augmentation(List<Layer> layers) {
    public static final Augmentation NONE = new Augmentation(List.of());
    static final Set<String> NAMES = Set.of("RandomFlip", "RandomCrop", "RandomTranslation", "RandomRotation",
            "RandomZoom", "RandomContrast", "RandomBrightness", "ZeroPadding2D");

    /** One augmentation layer; {@code kind} is its Keras class name. */
    public sealed interface Layer permits Flip, Crop, Translation, Rotation, Zoom, Contrast, Brightness, Padding {
    }

    /** Rotates by a uniform angle of {@code [lower, upper] * 360} degrees about the centre (Keras' affine matrix). */
    public record Rotation(double lower, double upper, String fillMode, String interpolation, double fillValue)
            implements Layer {
    }

    /** Scales by {@code 1 + uniform(lower, upper)} per axis about the centre (positive zooms out); width follows height when absent. */
    public record Zoom(double heightLower, double heightUpper, Double widthLower, Double widthUpper, String fillMode,
                       String interpolation, double fillValue) implements Layer {
    }

    /** Flips each image with probability 1/2 (both axes at once for horizontal_and_vertical, as Keras). */
    public record Flip(boolean horizontal, boolean vertical) implements Layer {
    }

    /** Crops to height x width at a random offset (per batch as Keras, or per image). */
    public record Crop(int height, int width, boolean perImage) implements Layer {
    }

    /** Shifts by uniform fractions of the height and width; fill reflect/wrap/constant/nearest. */
    public record Translation(double heightLower, double heightUpper, double widthLower, double widthUpper, String fillMode,
                              String interpolation, double fillValue) implements Layer {
    }

    /** {@code (x - mean) * f + mean} per image and channel, f uniform in [1 - lower, 1 + upper], clipped to the range. */
    public record Contrast(double lower, double upper, double[] valueRange) implements Layer {
    }

    /** Adds a uniform delta in [lower, upper] times the range width per image, clipped to the range. */
    public record Brightness(double lower, double upper, double[] valueRange) implements Layer {
    }

    /** Zero padding: top, bottom, left, right. */
    public record Padding(int top, int bottom, int left, int right) implements Layer {
    }

    /** The list at config field {@code path}; {@code pixelMax} is 1 for unit-scaled pixels, 255 for raw. */
    public static Augmentation parse(String path, JsonNode node, double pixelMax) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        if (!node.isArray()) {
            throw new LosslabException(path + ": expected a list of layers such as [{\"RandomFlip\": {\"mode\": \"horizontal\"}}], "
                    + "found " + KerasObject.abbreviate(node));
        }
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            KerasObject o = KerasObject.parse(path + "[" + i + "]", node.get(i), NAMES);
            out.add(switch (o.className()) {
                case "RandomFlip" -> {
                    o.allow(Set.of("mode", "seed", "name"), Set.of());
                    String mode = o.text("mode", "horizontal_and_vertical", Set.of("horizontal", "vertical",
                            "horizontal_and_vertical"));
                    yield new Flip(!mode.equals("vertical"), !mode.equals("horizontal"));
                }
                case "RandomCrop" -> {
                    o.allow(Set.of("height", "width", "seed", "name", "per_image"), Set.of("data_format"));
                    yield new Crop(positive(o, "height"), positive(o, "width"), o.bool("per_image", false));
                }
                case "RandomTranslation" -> {
                    o.allow(Set.of("height_factor", "width_factor", "fill_mode", "interpolation", "seed", "fill_value",
                            "name"), Set.of("data_format"));
                    double[] h = factor(o, "height_factor", -1, 1, true);
                    double[] w = factor(o, "width_factor", -1, 1, true);
                    yield new Translation(h[0], h[1], w[0], w[1], o.text("fill_mode", "reflect", Set.of("reflect", "wrap",
                            "constant", "nearest")), o.text("interpolation", "bilinear", Set.of("bilinear", "nearest")),
                            o.number("fill_value", 0));
                }
                case "RandomRotation" -> {
                    o.allow(Set.of("factor", "fill_mode", "interpolation", "seed", "fill_value", "name"), Set.of("data_format"));
                    double[] f = factor(o, "factor", -1, 1, true);
                    yield new Rotation(f[0], f[1], fill(o), interpolation(o), o.number("fill_value", 0));
                }
                case "RandomZoom" -> {
                    o.allow(Set.of("height_factor", "width_factor", "fill_mode", "interpolation", "seed", "fill_value",
                            "name"), Set.of("data_format"));
                    double[] h = factor(o, "height_factor", -1, 1, true);
                    double[] w = o.has("width_factor") ? factor(o, "width_factor", -1, 1, true) : null;
                    yield new Zoom(h[0], h[1], w == null ? null : w[0], w == null ? null : w[1], fill(o), interpolation(o),
                            o.number("fill_value", 0));
                }
                case "RandomContrast" -> {
                    o.allow(Set.of("factor", "value_range", "seed", "name"), Set.of());
                    double[] f = factor(o, "factor", 0, 1, false);
                    yield new Contrast(f[0], f[1], range(o, pixelMax));
                }
                case "RandomBrightness" -> {
                    o.allow(Set.of("factor", "value_range", "seed", "name"), Set.of());
                    yield new Brightness(factor(o, "factor", -1, 1, true)[0], factor(o, "factor", -1, 1, true)[1],
                            range(o, pixelMax));
                }
                case "ZeroPadding2D" -> {
                    o.allow(Set.of("padding", "name"), Set.of("data_format"));
                    yield padding(o);
                }
                default -> throw new IllegalStateException(o.className());
            });
        }
        return new Augmentation(List.copyOf(out));
    }

    /** Keras' augmentation layers that may sit inside a network (layer list or Keras JSON). */
    public static final Set<String> NETWORK_LAYERS = Set.of("RandomFlip", "RandomCrop", "RandomTranslation", "RandomRotation",
            "RandomZoom", "RandomContrast", "RandomBrightness");

    /**
     * One augmentation layer of a network, from its normalised Keras config ({@code where} names it in errors);
     * {@code value_range} defaults to Keras' [0, 255].
     */
    public static Layer fromKeras(String className, java.util.Map<String, Object> config, String where) {
        var args = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (var e : config.entrySet()) {
            if (!e.getKey().equals("trainable") && !(e.getKey().equals("bounding_box_format") && e.getValue() == null)) {
                args.set(e.getKey(), json.valueToTree(e.getValue()));
            }
        }
        var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        node.addObject().set(className, args);
        try {
            return parse("layer", node, 255).layers().get(0);
        } catch (LosslabException e) {
            throw new LosslabException(where + ": " + e.getMessage().replaceFirst("^layer\\[0\\]\\.[A-Za-z]+\\.?", ""));
        }
    }

    public boolean isEmpty() {
        return layers.isEmpty();
    }

    /** The image size after the layers: padding grows it, a crop sets it. */
    public int[] outputSize(int height, int width) {
        int h = height;
        int w = width;
        for (Layer l : layers) {
            if (l instanceof Padding p) {
                h += p.top() + p.bottom();
                w += p.left() + p.right();
            } else if (l instanceof Crop c) {
                h = c.height();
                w = c.width();
            }
        }
        return new int[] {h, w};
    }

    private static String fill(KerasObject o) {
        return o.text("fill_mode", "reflect", Set.of("reflect", "wrap", "constant", "nearest"));
    }

    private static String interpolation(KerasObject o) {
        return o.text("interpolation", "bilinear", Set.of("bilinear", "nearest"));
    }

    private static int positive(KerasObject o, String arg) {
        if (!o.has(arg)) {
            throw new LosslabException(o.where(arg) + ": required");
        }
        int v = o.integer(arg, 0);
        if (v < 1) {
            throw new LosslabException(o.where(arg) + ": must be >= 1, found " + v);
        }
        return v;
    }

    /** Keras' _set_factor: a number f gives (-f, f) (or (f, f) for contrast), a pair gives (lower, upper), within bounds. */
    private static double[] factor(KerasObject o, String arg, double min, double max, boolean symmetric) {
        JsonNode v = o.raw(arg);
        if (v == null || v.isNull()) {
            throw new LosslabException(o.where(arg) + ": required");
        }
        double lower;
        double upper;
        if (v.isNumber()) {
            double f = v.doubleValue();
            if (f < min || f > max) {
                throw new LosslabException(o.where(arg) + ": must be in [" + min + ", " + max + "], found " + f);
            }
            f = Math.abs(f);
            lower = symmetric ? Math.max(-f, min) : f;
            upper = f;
        } else {
            double[] pair = o.numbers(arg);
            if (pair.length != 2) {
                throw new LosslabException(o.where(arg) + ": a number or two numbers [lower, upper], found " + v);
            }
            lower = Math.min(pair[0], pair[1]);
            upper = Math.max(pair[0], pair[1]);
            if (lower > max || upper < min) {
                throw new LosslabException(o.where(arg) + ": must lie in [" + min + ", " + max + "], found " + v);
            }
        }
        return new double[] {lower, upper};
    }

    private static double[] range(KerasObject o, double pixelMax) {
        if (!o.has("value_range")) {
            return new double[] {0, pixelMax};
        }
        double[] r = o.numbers("value_range");
        if (r.length != 2 || !(r[1] > r[0])) {
            throw new LosslabException(o.where("value_range") + ": expected [low, high] with low < high");
        }
        return r;
    }

    private static Padding padding(KerasObject o) {
        JsonNode p = o.raw("padding");
        if (p == null || p.isNull()) {
            return new Padding(1, 1, 1, 1);
        }
        if (p.isInt()) {
            return checked(o, p.intValue(), p.intValue(), p.intValue(), p.intValue());
        }
        if (p.isArray() && p.size() == 2 && p.get(0).isInt() && p.get(1).isInt()) {
            return checked(o, p.get(0).intValue(), p.get(0).intValue(), p.get(1).intValue(), p.get(1).intValue());
        }
        if (p.isArray() && p.size() == 2 && p.get(0).isArray() && p.get(1).isArray() && p.get(0).size() == 2
                && p.get(1).size() == 2) {
            return checked(o, p.get(0).get(0).asInt(), p.get(0).get(1).asInt(), p.get(1).get(0).asInt(), p.get(1).get(1).asInt());
        }
        throw new LosslabException(o.where("padding") + ": an int, [h, w] or [[top, bottom], [left, right]], found " + p);
    }

    private static Padding checked(KerasObject o, int t, int b, int l, int r) {
        if (t < 0 || b < 0 || l < 0 || r < 0) {
            throw new LosslabException(o.where("padding") + ": must be >= 0");
        }
        return new Padding(t, b, l, r);
    }
}
