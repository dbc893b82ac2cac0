package dev.losslab.experiment;

import dev.losslab.data.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** CSV files of class probabilities: header {@code label,p0,...,p{K-1}}, one row per sample. */
public final class ProbabilityCsv {
    private ProbabilityCsv() {
    }

    public static void write(Path file, int[] labels, float[] probabilities, int k) throws IOException {
        StringBuilder sb = new StringBuilder(labels.length * (8 + 12 * k));
        sb.append("label");
        for (int c = 0; c < k; c++) {
            sb.append(",p").append(c);
        }
        sb.append('\n');
        for (int i = 0; i < labels.length; i++) {
            sb.append(labels[i]);
            for (int c = 0; c < k; c++) {
                sb.append(',').append(format(probabilities[i * k + c]));
            }
            sb.append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** Predictions with their probabilities: header {@code index,predicted,p0,...}. */
    public static void writePredictions(Path file, int[] predicted, float[] probabilities, int k) throws IOException {
        StringBuilder sb = new StringBuilder(predicted.length * (12 + 12 * k));
        sb.append("index,predicted");
        for (int c = 0; c < k; c++) {
            sb.append(",p").append(c);
        }
        sb.append('\n');
        for (int i = 0; i < predicted.length; i++) {
            sb.append(i).append(',').append(predicted[i]);
            for (int c = 0; c < k; c++) {
                sb.append(',').append(format(probabilities[i * k + c]));
            }
            sb.append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** Shortest text that reads back as the same float. */
    static String format(float v) {
        return Float.toString(v).toLowerCase(Locale.ROOT);
    }
}
