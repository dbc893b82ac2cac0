package dev.losslab.experiment;

import dev.losslab.LosslabException;
import dev.losslab.data.AtomicFiles;
import dev.losslab.util.TextFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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

    /** Labels and probabilities read back from a {@code label,p0,...} file. */
    public record Table(int[] labels, float[] probabilities, int numClasses) {
    }

    /**
     * Reads a probabilities CSV; every problem (missing columns, non-numbers, labels outside
     * 0..K-1, rows not summing to ~1 for K > 2) is a one-line error naming the line.
     */
    public static Table read(Path file) {
        List<String> lines = TextFiles.readLines(file, "probabilities file");
        if (lines.isEmpty()) {
            throw new LosslabException(file + ": empty file (expected a header label,p0,p1,...)");
        }
        String[] header = lines.get(0).trim().split(",", -1);
        int k = header.length - 1;
        if (k < 2 || !header[0].trim().equals("label")) {
            throw new LosslabException(file + ":1: header must be label,p0,...,p{K-1} with K >= 2, got '" + lines.get(0) + "'");
        }
        for (int c = 0; c < k; c++) {
            if (!header[c + 1].trim().equals("p" + c)) {
                throw new LosslabException(file + ":1: column " + (c + 2) + " must be p" + c + ", got '" + header[c + 1] + "'");
            }
        }
        int n = 0;
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                n++;
            }
        }
        if (n == 0) {
            throw new LosslabException(file + ": no data rows");
        }
        int[] labels = new int[n];
        float[] p = new float[n * k];
        int row = 0;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int lineNo = i + 1;
            String[] cells = line.split(",", -1);
            if (cells.length != k + 1) {
                throw new LosslabException(file + ":" + lineNo + ": " + cells.length + " columns, expected " + (k + 1));
            }
            int label;
            try {
                label = Integer.parseInt(cells[0].trim());
            } catch (NumberFormatException e) {
                throw new LosslabException(file + ":" + lineNo + ": label '" + cells[0] + "' is not an integer");
            }
            if (label < 0 || label >= k) {
                throw new LosslabException(file + ":" + lineNo + ": label " + label + " is outside 0.." + (k - 1));
            }
            labels[row] = label;
            double sum = 0;
            for (int c = 0; c < k; c++) {
                float v;
                try {
                    v = Float.parseFloat(cells[c + 1].trim());
                } catch (NumberFormatException e) {
                    throw new LosslabException(file + ":" + lineNo + ": p" + c + " '" + cells[c + 1] + "' is not a number");
                }
                if (!(v >= 0 && v <= 1)) {
                    throw new LosslabException(file + ":" + lineNo + ": p" + c + " = " + cells[c + 1] + " is outside [0, 1]");
                }
                p[row * k + c] = v;
                sum += v;
            }
            if (k > 2 && Math.abs(sum - 1) > 1e-3) {
                throw new LosslabException(file + ":" + lineNo + ": probabilities sum to " + sum + ", not 1");
            }
            row++;
        }
        return new Table(labels, p, k);
    }

    /** Shortest text that reads back as the same float. */
    static String format(float v) {
        return Float.toString(v).toLowerCase(Locale.ROOT);
    }
}
