package dev.losslab.network;

import dev.losslab.kerasfile.KerasModelFile;
import static dev.losslab.network.KerasFilesTest.JSON;
import static dev.losslab.network.KerasFilesTest.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.losslab.testing.Pictures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras' transfer-learning guide as a new user runs it, end to end through the command line: a keras.applications
 * base saved with include_top=False ({@code mobilenetv2-035-32-notop.keras}, written by Keras), frozen, a new head,
 * Keras' {@code tf} pixels, trained on a folder of images; then the fine-tuning phase from a named layer on; then
 * thresholds tuned and predictions from the SavedModel. The first phase moves only the head; the second moves the
 * unfrozen layers too, with epochs numbered on; the frozen part keeps the file's weights throughout.
 */
class TransferLearningTest {

    @Test
    void aNewHeadOnAFrozenKerasBaseThenFineTuningThenPredict(@TempDir Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        int[] perClass = {24, 10, 6}; // imbalanced, as the problems this serves
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < perClass[c]; i++) {
                    Pictures.write(dir.resolve(split).resolve("class" + c).resolve(i + ".png"), "png", 32, 32, 3,
                            Pictures.pattern(c, 32, 32, r));
                }
            }
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("name", "transfer");
        ObjectNode data = config.putObject("data");
        data.put("directory", dir.resolve("train").toString());
        data.put("testDirectory", dir.resolve("test").toString());
        data.put("colorMode", "rgb");
        config.put("epochs", 2);
        config.put("batchSize", 8);
        config.put("seed", 3);
        config.set("optimizer", JSON.readTree("{\"Adam\": {\"learning_rate\": 0.001}}"));
        ObjectNode model = config.putObject("model");
        model.put("keras", file("mobilenetv2-035-32-notop.keras").toAbsolutePath().toString());
        model.put("trainable", false);
        model.put("pixels", "tf");
        model.set("head", JSON.readTree("[{\"GlobalAveragePooling2D\": {\"name\": \"pool\"}}, "
                + "{\"Dropout\": {\"name\": \"drop\", \"rate\": 0.2}}, {\"Dense\": {\"name\": \"classes\", \"units\": 3}}]"));
        model.set("fineTune", JSON.readTree("{\"epochs\": 2, \"trainable\": {\"from\": \"block_16_expand\"}, "
                + "\"learningRate\": 0.0001}"));
        Path c = dir.resolve("transfer.json");
        Files.writeString(c, config.toString());
        Path out = dir.resolve("out");
        StringWriter log = new StringWriter();
        StringWriter err = new StringWriter();
        int status = dev.losslab.cli.Main.execute(new String[] {"train", "--config", c.toString(), "--out", out.toString(),
                "--threads", "2", "--no-tensorboard"}, new PrintWriter(log, true), new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        JsonNode run = JSON.readTree(out.resolve("run.json").toFile());
        assertEquals(4, run.get("history").size(), "two epochs frozen, two fine-tuning");
        for (int e = 0; e < 4; e++) {
            assertEquals(e + 1, run.get("history").get(e).get("epoch").asInt());
        }
        assertEquals(1e-4, run.at("/history/2/learningRate").asDouble(), 1e-12, "the fine-tuning phase's rate");
        assertEquals(1e-3, run.at("/history/0/learningRate").asDouble(), 1e-12);

        // the saved weights: the frozen part is the file's, bit for bit; the fine-tuned block and the head moved
        KerasModelFile base = KerasModelFile.read(file("mobilenetv2-035-32-notop.keras"));
        try (var bundle = org.tensorflow.SavedModelBundle.load(out.resolve("model").toString(), "serve")) {
            var session = bundle.session();
            java.util.Map<String, org.tensorflow.Operation> vars = new java.util.HashMap<>();
            bundle.graph().operations().forEachRemaining(o -> {
                if (o.type().startsWith("Variable")) {
                    vars.put(o.name(), o);
                }
            });
            int unchanged = 0;
            int moved = 0;
            for (var layer : base.variables().entrySet()) {
                for (int i = 0; i < layer.getValue().size(); i++) {
                    var v = layer.getValue().get(i);
                    String name = "cnn/" + layer.getKey() + "_" + role(layer.getKey(), i, layer.getValue().size());
                    assertTrue(vars.containsKey(name), name + " in " + vars.size() + " variables");
                    try (var t = (org.tensorflow.types.TFloat32) session.runner().fetch(name).run().get(0)) {
                        float[] got = new float[(int) t.shape().size()];
                        t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(got, false, false));
                        boolean same = java.util.Arrays.equals(got, v.values());
                        boolean tuned = layer.getKey().startsWith("block_16") || layer.getKey().startsWith("Conv_1");
                        boolean statistic = i >= 2 && layer.getValue().size() == 4;
                        if (!tuned || statistic) {
                            assertTrue(same, layer.getKey() + " variable " + i + " is frozen (or a statistic) and must keep the file's values");
                            unchanged++;
                        } else if (!same) {
                            moved++;
                        }
                    }
                }
            }
            assertTrue(unchanged > 100, "frozen variables checked: " + unchanged);
            assertTrue(moved > 0, "the fine-tuned layers moved");
        }

        // predict on the folder with the SavedModel: its pixels (tf) and its tuned rule travel with it
        Path csv = dir.resolve("pred.csv");
        StringWriter perr = new StringWriter();
        StringWriter pout = new StringWriter();
        assertEquals(0, dev.losslab.cli.Main.execute(new String[] {"predict", "--model", out.resolve("model").toString(),
                "--images", dir.resolve("test").toString(), "--out", csv.toString()}, new PrintWriter(pout, true),
                new PrintWriter(perr, true)), perr.toString());
        assertTrue(pout.toString().contains("pixels tf"), pout.toString());
        assertEquals(1 + 40, Files.readAllLines(csv).size());
    }

    /** The SavedModel variable suffix of a file variable (Keras' order: kernel, bias; gamma, beta, mean, variance). */
    private static String role(String layer, int i, int n) {
        if (n == 4) {
            return new String[] {"gamma", "beta", "moving_mean", "moving_variance"}[i];
        }
        return i == 0 ? "kernel" : "bias";
    }

    /**
     * The issue's own check on Keras' frozen-base-head file (its base saved with trainable=False and called with
     * training=False): one epoch of training leaves every base weight and moving statistic bit-identical in the
     * SavedModel, and the head's Dense moves.
     */
    @Test
    void kerasFrozenBaseHeadFileTrainedOneEpochKeepsItsBase(@TempDir Path dir) throws Exception {
        ObjectNode config = JSON.createObjectNode();
        config.put("name", "frozen-file");
        config.putObject("data").put("npz", file("train-data.npz").toAbsolutePath().toString());
        config.put("validationFraction", 0);
        config.put("epochs", 1);
        config.put("batchSize", 4);
        config.set("optimizer", JSON.readTree("{\"SGD\": {\"learning_rate\": 0.1, \"momentum\": 0.9}}"));
        config.putObject("model").put("keras", file("frozen-base-head.keras").toAbsolutePath().toString());
        Path c = dir.resolve("frozen.json");
        Files.writeString(c, config.toString());
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        assertEquals(0, dev.losslab.cli.Main.execute(new String[] {"train", "--config", c.toString(), "--out", out.toString(),
                "--threads", "2", "--no-tensorboard"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)),
                err.toString());
        KerasModelFile f = KerasModelFile.read(file("frozen-base-head.keras"));
        String head = f.network().output();
        try (var bundle = org.tensorflow.SavedModelBundle.load(out.resolve("model").toString(), "serve")) {
            int same = 0;
            int moved = 0;
            for (var layer : f.variables().entrySet()) {
                for (int i = 0; i < layer.getValue().size(); i++) {
                    String name = "cnn/" + layer.getKey() + "_" + role(layer.getKey(), i, layer.getValue().size());
                    try (var t = (org.tensorflow.types.TFloat32) bundle.session().runner().fetch(name).run().get(0)) {
                        float[] got = new float[(int) t.shape().size()];
                        t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(got, false, false));
                        boolean equal = java.util.Arrays.equals(got, layer.getValue().get(i).values());
                        if (layer.getKey().equals(head)) {
                            moved += equal ? 0 : 1;
                        } else {
                            assertTrue(equal, name + " is in the frozen base and must keep the file's values");
                            same++;
                        }
                    }
                }
            }
            assertTrue(same > 250, "base variables checked: " + same);
            assertEquals(2, moved, "the head's kernel and bias train");
        }
    }
}
