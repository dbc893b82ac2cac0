package dev.losslab.network;

import dev.losslab.network.layers.LayerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Keras' {@code Normalization.adapt} on the training set: a Normalization layer at the network's input (first,
 * or after a Rescaling) that holds its state (no mean or variance in its config) and whose state does not come
 * from a Keras file gets the training images' per-channel mean and biased variance, and their count, as Keras'
 * adapt computes them (keras-team/keras {@code layers/preprocessing/normalization.py}: moments over every axis
 * but the channels, in float64 here), after the Rescaling before it if any.
 */
public final class NormalizationAdapt {
    private NormalizationAdapt() {
    }

    /** The layer to adapt: its position in {@code net}'s layers, or -1 when there is none. */
    public static int layer(ResolvedNetwork net) {
        for (int i = 0; i < net.layers().size() && i < 2; i++) {
            LayerSpec l = net.layers().get(i).spec();
            if (l.className().equals("Normalization") && l.config().get("mean") == null
                    && (i == 0 || net.layers().get(0).spec().className().equals("Rescaling"))) {
                return i;
            }
            if (!l.className().equals("Rescaling")) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * {@code weights} (in {@code net.weights()} order) with layer {@code at}'s mean, variance and count adapted on
     * {@code pixels} [N, H, W, C] as fed to the network.
     */
    public static List<Parameter> adapt(ResolvedNetwork net, int at, List<Parameter> weights, float[] pixels, int channels) {
        double scale = 1;
        double offset = 0;
        if (at == 1) {
            LayerSpec r = net.layers().get(0).spec();
            scale = r.number("scale", 1);
            offset = r.number("offset", 0);
        }
        double[] sum = new double[channels];
        double[] sq = new double[channels];
        long n = pixels.length / channels;
        for (int i = 0; i < pixels.length; i++) {
            double v = pixels[i] * (float) scale + (float) offset;
            sum[i % channels] += v;
        }
        double[] mean = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / n;
        }
        for (int i = 0; i < pixels.length; i++) {
            double d = pixels[i] * (float) scale + (float) offset - mean[i % channels];
            sq[i % channels] += d * d;
        }
        int first = 0;
        for (int i = 0; i < at; i++) {
            first += net.layers().get(i).weights().size();
        }
        List<Parameter> out = new ArrayList<>(weights);
        float[] m = new float[channels];
        float[] v = new float[channels];
        for (int c = 0; c < channels; c++) {
            m[c] = (float) mean[c];
            v[c] = (float) (sq[c] / n);
        }
        Parameter pm = weights.get(first);
        Parameter pv = weights.get(first + 1);
        Parameter pc = weights.get(first + 2);
        out.set(first, new Parameter(pm.name(), pm.shape(), m));
        out.set(first + 1, new Parameter(pv.name(), pv.shape(), v));
        out.set(first + 2, new Parameter(pc.name(), pc.shape(), new float[] {n}));
        return out;
    }
}
