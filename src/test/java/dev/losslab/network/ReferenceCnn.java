package dev.losslab.network;

import java.util.List;

/**
 * The CNN in plain Java, NHWC, float64, with TF's padding rule written out loop by loop (pad_total
 * = max((ceil(n/s) - 1) s + k - n, 0), pad_total / 2 before): the reference the graph is checked
 * against.
 */
final class ReferenceCnn {
    private ReferenceCnn() {
    }

    static double[] logits(ModelSpec spec, double[] images, int batch, List<double[]> p, int out) {
        int[] channels = {1, CnnArchitecture.CONV1, CnnArchitecture.CONV2, CnnArchitecture.CONV3};
        double[] x = images;
        int side = 28;
        for (int layer = 0; layer < 3; layer++) {
            x = conv3x3Relu(x, batch, side, channels[layer], channels[layer + 1], p.get(2 * layer), p.get(2 * layer + 1),
                    spec.padding());
            side = spec.padding().outputSize(side, 3, 1);
            x = maxPool(x, batch, side, channels[layer + 1], spec.padding());
            side = spec.padding().outputSize(side, 2, 2);
        }
        int flat = side * side * channels[3];
        double[] h = dense(x, batch, flat, CnnArchitecture.HIDDEN, p.get(6), p.get(7), true);
        return dense(h, batch, CnnArchitecture.HIDDEN, out, p.get(8), p.get(9), false);
    }

    static double[] conv3x3Relu(double[] x, int batch, int n, int cin, int cout, double[] kernel, double[] bias,
                                ModelSpec.Padding padding) {
        int m = padding.outputSize(n, 3, 1);
        int pad = padding.padBefore(n, 3, 1);
        double[] y = new double[batch * m * m * cout];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    for (int o = 0; o < cout; o++) {
                        double sum = bias[o];
                        for (int di = 0; di < 3; di++) {
                            for (int dj = 0; dj < 3; dj++) {
                                int r = i + di - pad;
                                int c = j + dj - pad;
                                if (r < 0 || c < 0 || r >= n || c >= n) {
                                    continue; // zero padding
                                }
                                for (int ci = 0; ci < cin; ci++) {
                                    sum += x[((b * n + r) * n + c) * cin + ci] * kernel[((di * 3 + dj) * cin + ci) * cout + o];
                                }
                            }
                        }
                        y[((b * m + i) * m + j) * cout + o] = Math.max(0, sum);
                    }
                }
            }
        }
        return y;
    }

    /** 2x2 max pooling, stride 2; padded cells are left out of the max. */
    static double[] maxPool(double[] x, int batch, int n, int ch, ModelSpec.Padding padding) {
        int m = padding.outputSize(n, 2, 2);
        int pad = padding.padBefore(n, 2, 2);
        double[] y = new double[batch * m * m * ch];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    for (int c = 0; c < ch; c++) {
                        double best = Double.NEGATIVE_INFINITY;
                        for (int di = 0; di < 2; di++) {
                            for (int dj = 0; dj < 2; dj++) {
                                int r = 2 * i + di - pad;
                                int q = 2 * j + dj - pad;
                                if (r >= 0 && q >= 0 && r < n && q < n) {
                                    best = Math.max(best, x[((b * n + r) * n + q) * ch + c]);
                                }
                            }
                        }
                        y[((b * m + i) * m + j) * ch + c] = best;
                    }
                }
            }
        }
        return y;
    }

    static double[] dense(double[] x, int batch, int in, int out, double[] w, double[] bias, boolean relu) {
        double[] y = new double[batch * out];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                double sum = bias[o];
                for (int i = 0; i < in; i++) {
                    sum += x[b * in + i] * w[i * out + o];
                }
                y[b * out + o] = relu ? Math.max(0, sum) : sum;
            }
        }
        return y;
    }
}
