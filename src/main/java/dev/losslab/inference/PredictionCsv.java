package dev.losslab.inference;

import dev.losslab.data.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code predict}'s output: {@code index[,file],predicted[,predicted_name],<probability columns>},
 * written atomically. Probability columns are {@code p_<id>_<name>} when the classes are known
 * (losslab's metadata, or {@code --class-names}), else {@code p0..p{K-1}}; fields are quoted as
 * RFC 4180 says when they hold a comma or a quote; control characters are written as backslash-u
 * escapes, so a record is always one line.
 */
public final class PredictionCsv {
    private PredictionCsv() {
    }

    /**
     * @param sources one file per row (relative to the folder it was found in), or null (no file column)
     * @param ids     class id per output position (printed as {@code predicted}), or null for positions
     * @param names   class name per output position, or null
     */
    public static void write(Path file, int[] predicted, float[] probabilities, int k, List<String> sources, int[] ids,
                             List<String> names) throws IOException {
        StringBuilder sb = new StringBuilder(predicted.length * (16 + 12 * k));
        sb.append("index");
        if (sources != null) {
            sb.append(",file");
        }
        sb.append(",predicted");
        if (names != null) {
            sb.append(",predicted_name");
        }
        for (int c = 0; c < k; c++) {
            sb.append(',').append(names == null ? "p" + c : quote("p_" + (ids == null ? c : ids[c]) + "_" + names.get(c)));
        }
        sb.append('\n');
        for (int i = 0; i < predicted.length; i++) {
            sb.append(i);
            if (sources != null) {
                sb.append(',').append(quote(sources.get(i)));
            }
            int pos = predicted[i];
            sb.append(',').append(ids == null ? pos : ids[pos]);
            if (names != null) {
                sb.append(',').append(quote(names.get(pos)));
            }
            for (int c = 0; c < k; c++) {
                sb.append(',').append(Float.toString(probabilities[i * k + c]).toLowerCase(Locale.ROOT));
            }
            sb.append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    static String quote(String raw) {
        // control characters (a line break in a class folder's name) are written escaped, as backslash-u
        // codes, so every record stays on one line for line-based tools
        StringBuilder esc = new StringBuilder(raw.length());
        for (char ch : raw.toCharArray()) {
            esc.append(Character.isISOControl(ch) ? String.format(Locale.ROOT, "\\u%04x", (int) ch) : String.valueOf(ch));
        }
        String s = esc.toString();
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
