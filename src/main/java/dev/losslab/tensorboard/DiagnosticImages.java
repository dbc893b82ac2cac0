package dev.losslab.tensorboard;

import dev.losslab.metrics.Calibration;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The two pictures a run logs for TensorBoard, drawn with Java2D: the test set's top-label
 * reliability diagram (accuracy per confidence bin against the diagonal, Guo et al. 2017, Fig. 1)
 * and the tuned rule's confusion matrix on test (rows true, columns predicted, shaded by row share).
 */
public final class DiagnosticImages {
    public static final int SIZE = 360;

    private DiagnosticImages() {
    }

    /** RGB PNG of the reliability diagram. */
    public static byte[] reliability(float[] p, int[] labels, int k) throws IOException {
        BufferedImage img = canvas();
        Graphics2D g = graphics(img);
        int m = 40;
        int w = SIZE - 2 * m;
        g.setColor(Color.LIGHT_GRAY);
        g.drawLine(m, SIZE - m, SIZE - m, m);
        var bins = Calibration.reliability(p, labels, k, Calibration.ECE_BINS);
        for (var b : bins) {
            if (b.count() == 0) {
                continue;
            }
            int x0 = m + (int) Math.round(b.lower() * w);
            int x1 = m + (int) Math.round(b.upper() * w);
            int h = (int) Math.round(b.accuracy() * w);
            g.setColor(new Color(70, 110, 180));
            g.fillRect(x0, SIZE - m - h, Math.max(1, x1 - x0 - 1), h);
            g.setColor(new Color(200, 60, 60));
            int yc = SIZE - m - (int) Math.round(b.confidence() * w);
            g.fillOval((x0 + x1) / 2 - 3, yc - 3, 6, 6);
        }
        g.setColor(Color.BLACK);
        g.drawRect(m, m, w, w);
        g.drawString("confidence", SIZE / 2 - 30, SIZE - 12);
        g.drawString(String.format(Locale.ROOT, "test reliability (ECE %.4f)", Calibration.ece(p, labels, k)), m, 25);
        g.drawString("accuracy", 2, m - 5);
        g.dispose();
        return png(img);
    }

    /** RGB PNG of the confusion matrix of {@code predicted} against {@code labels}. */
    public static byte[] confusion(int[] predicted, int[] labels, List<String> names) throws IOException {
        int k = names.size();
        long[][] c = new long[k][k];
        for (int i = 0; i < labels.length; i++) {
            c[labels[i]][predicted[i]]++;
        }
        BufferedImage img = canvas();
        Graphics2D g = graphics(img);
        int m = 40;
        int cell = (SIZE - 2 * m) / k;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, Math.min(14, cell / 3))));
        for (int t = 0; t < k; t++) {
            long row = 0;
            for (long v : c[t]) {
                row += v;
            }
            for (int q = 0; q < k; q++) {
                double share = row == 0 ? 0 : (double) c[t][q] / row;
                int shade = 255 - (int) Math.round(share * 200);
                g.setColor(new Color(shade, shade, 255));
                g.fillRect(m + q * cell, m + t * cell, cell, cell);
                g.setColor(share > 0.6 ? Color.WHITE : Color.BLACK);
                g.drawString(Long.toString(c[t][q]), m + q * cell + 3, m + t * cell + cell / 2 + 4);
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(m, m, cell * k, cell * k);
        g.drawString("predicted ->", m, m - 8);
        g.drawString("true", 4, m + 12);
        g.dispose();
        return png(img);
    }

    private static BufferedImage canvas() {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, SIZE, SIZE);
        g.dispose();
        return img;
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setStroke(new BasicStroke(1f));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
