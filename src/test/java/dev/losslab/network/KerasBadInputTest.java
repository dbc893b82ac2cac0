package dev.losslab.network;

import static dev.losslab.network.KerasFilesTest.JSON;
import static dev.losslab.network.KerasFilesTest.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input around Keras files is one line, exit 2, nothing written, and said before any image is decoded: the
 * folder here holds only files that are not pictures, so reaching the decoder would give another error.
 */
class KerasBadInputTest {

    private static String train(Path dir, ObjectNode model, int[] imageSize, String colorMode) throws Exception {
        Path folder = dir.resolve("photos");
        for (String c : new String[] {"a", "b", "c"}) {
            Files.createDirectories(folder.resolve(c));
            Files.writeString(folder.resolve(c).resolve("1.png"), "not a picture");
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("name", "bad");
        ObjectNode data = config.putObject("data");
        data.put("directory", folder.toString());
        data.put("colorMode", colorMode);
        data.set("imageSize", JSON.valueToTree(imageSize));
        config.set("model", model);
        Path c = dir.resolve("bad.json");
        Files.writeString(c, config.toString());
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        int status = dev.losslab.cli.Main.execute(new String[] {"train", "--config", c.toString(), "--out", out.toString(),
                "--no-tensorboard"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(2, status, err.toString());
        assertFalse(Files.exists(out), "nothing written");
        String e = err.toString().strip();
        assertEquals(1, e.lines().count(), e);
        assertFalse(e.contains("picture") || e.contains("decode"), "said before decoding: " + e);
        return e;
    }

    private static ObjectNode base(String head) throws Exception {
        ObjectNode m = JSON.createObjectNode();
        m.put("keras", file("mobilenetv2-035-32-notop.keras").toString());
        m.put("trainable", false);
        m.set("head", JSON.readTree(head));
        return m;
    }

    @Test
    void unitsInputPixelsLayersAndWeightsAreCheckedBeforeDecoding(@TempDir Path dir) throws Exception {
        String five = "[{\"GlobalAveragePooling2D\": {}}, {\"Dense\": {\"units\": 5}}]";
        String three = "[{\"GlobalAveragePooling2D\": {}}, {\"Dense\": {\"units\": 3}}]";
        assertTrue(train(dir, base(five), new int[] {32, 32}, "rgb").contains("for 3 classes it must give 3 units"));
        assertTrue(train(dir, base(three), new int[] {28, 28}, "rgb")
                .contains("the network takes input (None, 32, 32, 3) but the data give 28x28x3"));
        ObjectNode torch = base(three);
        torch.put("pixels", "torch");
        assertTrue(train(dir, torch, new int[] {32, 32}, "grayscale").contains("the network takes input (None, 32, 32, 3)"));
        ObjectNode from = base(three);
        from.set("trainable", JSON.readTree("{\"from\": \"no_such_layer\"}"));
        assertTrue(train(dir, from, new int[] {32, 32}, "rgb").contains("model.trainable.from: no layer 'no_such_layer'"));
        // a JSON whose weights file belongs to another network: the layer, the variable and both shapes
        Path json = dir.resolve("zoo.json");
        try (var zip = new java.util.zip.ZipFile(file("layer-zoo.keras").toFile())) {
            Files.copy(zip.getInputStream(zip.getEntry("config.json")), json);
        }
        ObjectNode wrong = JSON.createObjectNode();
        wrong.put("keras", json.toString());
        wrong.put("weights", file("mobilenetv2-035-32.h5").toString());
        String e = train(dir, wrong, new int[] {32, 32}, "rgb");
        assertTrue(e.contains("layer '") && (e.contains("has shape") || e.contains("needs")), e);
        // a truncated .h5 and a text file named .keras
        Path truncated = dir.resolve("cut.h5");
        byte[] all = Files.readAllBytes(file("mobilenetv2-035-32.h5"));
        Files.write(truncated, java.util.Arrays.copyOf(all, 4096));
        ObjectNode cut = JSON.createObjectNode();
        cut.put("keras", truncated.toString());
        e = train(dir, cut, new int[] {32, 32}, "rgb");
        assertTrue(e.contains(truncated + ": not a readable HDF5 file"), e);
        Path text = dir.resolve("text.keras");
        Files.writeString(text, "hello");
        ObjectNode notZip = JSON.createObjectNode();
        notZip.put("keras", text.toString());
        assertTrue(train(dir, notZip, new int[] {32, 32}, "rgb").contains("not a .keras archive"));
    }
}
