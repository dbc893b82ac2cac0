package dev.losslab.network;

/** Plain-Java float64 versions of the layers, written from their definitions (TF's SAME/VALID rules). */
final class Reference {
    private Reference() {
    }

    /** Cells padded before the first window for an input of n, a window of k, a stride s. */
    static int padBefore(int n, int k, int s, String pad, int out) {
        return pad.equals("same") ? Math.max((out - 1) * s + k - n, 0) / 2 : 0;
    }

    /** NHWC conv with an HWIO kernel of kh x kw, dilation d, stride s: a grouped convolution of one group. */
    static double[] conv(double[] x, int n, int h, int w, int c, double[] k, int kh, int kw, int f, int s, int d,
                         String pad, int oh, int ow) {
        return grouped(x, n, h, w, c, k, kh, kw, f, 1, s, d, pad, oh, ow);
    }

    /**
     * A grouped convolution (TF's SAME/VALID rules): output channel o of {@code groups} uses input channels
     * [g cin_g, (g + 1) cin_g) with g = o / (f / groups) and kernel [kh, kw, cin_g, f]. A depthwise kernel
     * [kh, kw, C, m] is this with groups = C, cin_g = 1, f = C m (the same memory layout).
     */
    static double[] grouped(double[] x, int n, int h, int w, int c, double[] k, int kh, int kw, int f, int groups, int s,
                            int d, String pad, int oh, int ow) {
        int cg = c / groups;
        int per = f / groups;
        int ph = padBefore(h, (kh - 1) * d + 1, s, pad, oh);
        int pw = padBefore(w, (kw - 1) * d + 1, s, pad, ow);
        double[] out = new double[n * oh * ow * f];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    for (int o = 0; o < f; o++) {
                        int g = o / per;
                        double sum = 0;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int iy = y * s - ph + i * d;
                                int ix = xx * s - pw + j * d;
                                if (iy < 0 || ix < 0 || iy >= h || ix >= w) {
                                    continue;
                                }
                                for (int ch = 0; ch < cg; ch++) {
                                    sum += x[((b * h + iy) * w + ix) * c + g * cg + ch] * k[((i * kw + j) * cg + ch) * f + o];
                                }
                            }
                        }
                        out[((b * oh + y) * ow + xx) * f + o] = sum;
                    }
                }
            }
        }
        return out;
    }

    /** Max or average pooling; average counts only cells inside the image (TF's AvgPool). */
    static double[] pool(double[] x, int n, int h, int w, int c, int k, int s, String pad, boolean max, int oh, int ow) {
        int ph = padBefore(h, k, s, pad, oh);
        int pw = padBefore(w, k, s, pad, ow);
        double[] out = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        int count = 0;
                        for (int i = 0; i < k; i++) {
                            for (int j = 0; j < k; j++) {
                                int iy = y * s - ph + i;
                                int ix = xx * s - pw + j;
                                if (iy < 0 || ix < 0 || iy >= h || ix >= w) {
                                    continue;
                                }
                                double v = x[((b * h + iy) * w + ix) * c + ch];
                                acc = max ? Math.max(acc, v) : acc + v;
                                count++;
                            }
                        }
                        out[((b * oh + y) * ow + xx) * c + ch] = max ? acc : acc / count;
                    }
                }
            }
        }
        return out;
    }

    static double[] global(double[] x, int n, int cells, int c, boolean max) {
        double[] out = new double[n * c];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                double acc = max ? Double.NEGATIVE_INFINITY : 0;
                for (int p = 0; p < cells; p++) {
                    double v = x[(b * cells + p) * c + ch];
                    acc = max ? Math.max(acc, v) : acc + v;
                }
                out[b * c + ch] = max ? acc : acc / cells;
            }
        }
        return out;
    }

    static double activation(String name, double x) {
        return switch (name) {
            case "linear" -> x;
            case "relu" -> Math.max(0, x);
            case "sigmoid" -> 1 / (1 + Math.exp(-x));
            case "tanh" -> Math.tanh(x);
            case "elu" -> x > 0 ? x : Math.exp(x) - 1;
            case "selu" -> 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.exp(x) - 1));
            case "gelu" -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case "silu" -> x / (1 + Math.exp(-x));
            case "leaky_relu" -> x > 0 ? x : 0.2 * x;
            case "relu6" -> Math.min(6, Math.max(0, x));
            case "hard_sigmoid" -> Math.min(6, Math.max(0, x + 3)) / 6; // Keras 3: relu6(x + 3) / 6
            case "hard_silu", "hard_swish" -> x * Math.min(6, Math.max(0, x + 3)) / 6;
            case "softplus" -> Math.log1p(Math.exp(x));
            case "softsign" -> x / (1 + Math.abs(x));
            case "mish" -> x * Math.tanh(Math.log1p(Math.exp(x)));
            case "exponential" -> Math.exp(x);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7). */
    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
                * Math.exp(-x * x);
        return x >= 0 ? y : -y;
    }
}
