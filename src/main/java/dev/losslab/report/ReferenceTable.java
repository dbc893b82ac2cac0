package dev.losslab.report;

import dev.losslab.LosslabException;
import dev.losslab.util.TextFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The notebook's published tables as rows (see results/reference/README.md). */
public record ReferenceTable(List<Row> rows) {

    public record Row(String setting, String split, String loss, String choice, double tuned, double defaultAccuracy) {
    }

    public static ReferenceTable read(Path file) {
        List<String> lines = TextFiles.readLines(file, "reference table");
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] c = lines.get(i).split(",", -1);
            if (c.length != 6) {
                throw new LosslabException(file + ":" + (i + 1) + ": " + c.length + " columns, expected 6");
            }
            try {
                rows.add(new Row(c[0], c[1], c[2], c[3], Double.parseDouble(c[4]), Double.parseDouble(c[5])));
            } catch (NumberFormatException e) {
                throw new LosslabException(file + ":" + (i + 1) + ": accuracy is not a number");
            }
        }
        return new ReferenceTable(rows);
    }
}
