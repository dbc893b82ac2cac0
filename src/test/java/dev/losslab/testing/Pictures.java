package dev.losslab.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes test pictures with the JDK's ImageIO (PNG, JPEG, GIF, BMP) from H x W x C bytes. */
public final class Pictures {
    private Pictures() {
    }

    /** {@code format} is an ImageIO writer name: png, jpg, gif, bmp. */
    public static void write(Path file, String format, int h, int w, int c, byte[] px) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        BufferedImage img;
        if (c == 1) {
            img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, w, h, px);
        } else {
            img = new BufferedImage(w, h, c == 4 ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int at = (y * w + x) * c;
                    int rgb = (px[at] & 0xff) << 16 | (px[at + 1] & 0xff) << 8 | (px[at + 2] & 0xff);
                    if (c == 4) {
                        rgb |= (px[at + 3] & 0xff) << 24;
                    }
                    img.setRGB(x, y, rgb);
                }
            }
        }
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no ImageIO writer for " + format);
        }
    }

    /** A 3-class RGB pattern: class 0 a red square top-left, 1 a green bar in the middle, 2 a blue square bottom-right. */
    public static byte[] pattern(int cls, int h, int w, java.util.SplittableRandom random) {
        byte[] px = new byte[h * w * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) random.nextInt(50);
        }
        int q = h / 4;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean on = switch (cls) {
                    case 0 -> y < h / 2 && x < w / 2;
                    case 1 -> y >= q && y < h - q && x >= w / 2 - 2 && x < w / 2 + 2;
                    default -> y >= h / 2 && x >= w / 2;
                };
                if (on) {
                    px[(y * w + x) * 3 + Math.min(cls, 2)] = (byte) (200 + random.nextInt(55));
                }
            }
        }
        return px;
    }
}
