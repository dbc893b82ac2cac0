package dev.losslab.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.UnknownFieldSet;
import dev.losslab.experiment.RunConfig;
import dev.losslab.experiment.TrainingRun;
import dev.losslab.testing.TestData;
import dev.losslab.train.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;
import org.tensorflow.types.TString;

/** Event files on bytes: framing, both CRCs, protos read back, TF's own TFRecord reader, HParams fields, a run's logs. */
class TensorBoardTest {
    @TempDir
    Path dir;

    @Test
    void crc32cAndFramingMatchKnownBytes() {
        byte[] digits = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, RecordFile.crc32c(digits, 0, digits.length));
        assertEquals(0x8A9136AA, RecordFile.crc32c(new byte[32], 0, 32));
        byte[] event = Event.newBuilder().setWallTime(1.0).setFileVersion("brain.Event:2").build().toByteArray();
        assertEquals("1800000000000000a37f4b2209000000000000f03f1a0d627261696e2e4576656e743a3286bf577a",
                HexFormat.of().formatHex(RecordFile.frame(event)));
    }

    @Test
    void eventsReadBackWithBothCrcsCheckedAndByTfsOwnReader() throws IOException {
        Path file;
        byte[] png = DiagnosticImages.confusion(new int[] {0, 1, 1}, new int[] {0, 1, 0}, List.of("a", "b"));
        try (EventWriter w = new EventWriter(dir.resolve("run"))) {
            w.scalar("epoch_loss", 1, 0.5);
            w.scalar("epoch_loss", 2, 0.25);
            w.image("confusion_matrix_tuned", 2, png, DiagnosticImages.SIZE, DiagnosticImages.SIZE, 3);
            file = w.file();
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."));
        List<byte[]> records = RecordFile.read(file);
        assertEquals(4, records.size());
        assertEquals("brain.Event:2", Event.parseFrom(records.get(0)).getFileVersion());
        Summary.Value v = Event.parseFrom(records.get(2)).getSummary().getValue(0);
        assertEquals("epoch_loss", v.getTag());
        assertEquals(0.25f, v.getSimpleValue());
        assertEquals(2, Event.parseFrom(records.get(2)).getStep());
        assertArrayEquals(png, Event.parseFrom(records.get(3)).getSummary().getValue(0).getImage().getEncodedImageString()
                .toByteArray());

        // TensorFlow's C++ RecordReader (through tf.data) reads the same records, checking the CRCs itself
        List<byte[]> native_ = new ArrayList<>();
        // (tf.data's TFRecordDatasetV2 cannot be iterated from TF-Java 1.0: its serialisation drops an input; the
        // reader op below is the same C++ RecordReader)
        try (org.tensorflow.Graph g = new org.tensorflow.Graph(); org.tensorflow.Session s = new org.tensorflow.Session(g)) {
            Ops tf = Ops.create(g);
            var queue = tf.io.fifoQueue(List.of(TString.class));
            var enqueue = tf.io.queueEnqueue(queue, List.of(tf.constant(file.toString())));
            var close = tf.io.queueClose(queue);
            var read = tf.io.readerRead(tf.io.tfRecordReader(), queue);
            s.runner().addTarget(enqueue).run();
            s.runner().addTarget(close).run();
            while (true) {
                try (var r = s.runner().fetch(read.value()).run()) {
                    native_.add(((TString) r.get(0)).asBytes().getObject());
                } catch (org.tensorflow.exceptions.TFOutOfRangeException end) {
                    break;
                }
            }
        }
        assertEquals(records.size(), native_.size());
        for (int i = 0; i < records.size(); i++) {
            assertArrayEquals(records.get(i), native_.get(i), "record " + i);
        }

        // a flipped data byte fails the data CRC; a flipped length byte the length CRC
        byte[] all = Files.readAllBytes(file);
        all[20] ^= 1;
        Path bad = dir.resolve("bad.tfevents");
        Files.write(bad, all);
        assertThrows(IOException.class, () -> RecordFile.read(bad));
        all[20] ^= 1;
        all[0] ^= 1;
        Files.write(bad, all);
        var e = assertThrows(IOException.class, () -> RecordFile.read(bad));
        assertTrue(e.getMessage().contains("length CRC"), e.getMessage());
    }

    @Test
    void hparamsProtosCarryTheirFieldNumbers() throws IOException {
        byte[] start = HParams.sessionStart(Map.of("loss", "focal", "seed", 3L), "sweep/run-1", 12.5);
        UnknownFieldSet data = UnknownFieldSet.parseFrom(start);
        assertEquals(List.of(0L), data.getField(1).getVarintList(), "version 0");
        UnknownFieldSet info = UnknownFieldSet.parseFrom(data.getField(3).getLengthDelimitedList().get(0));
        assertEquals("sweep/run-1", info.getField(4).getLengthDelimitedList().get(0).toStringUtf8());
        assertEquals(12.5, Double.longBitsToDouble(info.getField(5).getFixed64List().get(0)));
        Map<String, UnknownFieldSet> hp = new java.util.HashMap<>();
        for (var entry : info.getField(1).getLengthDelimitedList()) {
            UnknownFieldSet kv = UnknownFieldSet.parseFrom(entry);
            hp.put(kv.getField(1).getLengthDelimitedList().get(0).toStringUtf8(),
                    UnknownFieldSet.parseFrom(kv.getField(2).getLengthDelimitedList().get(0)));
        }
        assertEquals("focal", hp.get("loss").getField(3).getLengthDelimitedList().get(0).toStringUtf8(), "string_value = 3");
        assertEquals(3.0, Double.longBitsToDouble(hp.get("seed").getField(2).getFixed64List().get(0)), "number_value = 2");
        UnknownFieldSet end = UnknownFieldSet.parseFrom(UnknownFieldSet.parseFrom(HParams.sessionEnd(HParams.STATUS_SUCCESS, 20))
                .getField(4).getLengthDelimitedList().get(0));
        assertEquals(List.of(1L), end.getField(1).getVarintList(), "status SUCCESS");
        UnknownFieldSet exp = UnknownFieldSet.parseFrom(UnknownFieldSet.parseFrom(HParams.experiment(Map.of("seed", true),
                SweepLog.METRICS)).getField(2).getLengthDelimitedList().get(0));
        assertEquals(1, exp.getField(4).getLengthDelimitedList().size());
        assertEquals(SweepLog.METRICS.size(), exp.getField(5).getLengthDelimitedList().size());
        // a run's session lists exactly the hyperparameters the sweep's experiment declares
        assertEquals(new java.util.TreeSet<>(RunLog.HPARAMS.keySet()),
                new java.util.TreeSet<>(RunLog.hparams("focal", "90-10", 1, 2, 32, 1e-3, "fp32", "n", "directory").keySet()));
    }

    @Test
    void aRunWritesKerasLayoutAndNoTensorboardWritesNone() throws IOException {
        Path data = dir.resolve("data");
        TestData.writeSynthetic(data, 40, 15, 5);
        RunConfig c = new RunConfig("tb", new int[] {3, 7}, new double[] {0.8, 0.2}, null, "crossentropy", null, 2, 16, null,
                4L, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        Path out = dir.resolve("run");
        new TrainingRun(TestData.quiet()).execute(c, new TrainingRun.Environment(data, Device.CPU, 1, 0, false, false, true), out);
        Map<String, List<String>> tags = new java.util.TreeMap<>();
        for (String sub : List.of("", "train", "validation", "test")) {
            Path d = out.resolve("logs").resolve(sub);
            List<String> seen = new ArrayList<>();
            try (Stream<Path> s = Files.list(d)) {
                for (Path f : s.filter(p -> p.getFileName().toString().contains("tfevents")).toList()) {
                    for (byte[] r : RecordFile.read(f)) {
                        for (Summary.Value v : Event.parseFrom(r).getSummary().getValueList()) {
                            if (!seen.contains(v.getTag())) {
                                seen.add(v.getTag());
                            }
                        }
                    }
                }
            }
            tags.put(sub.isEmpty() ? "session" : sub, seen);
        }
        assertEquals(List.of(HParams.SESSION_START, HParams.SESSION_END), tags.get("session"));
        assertEquals(List.of("epoch_loss", "epoch_accuracy", "epoch_learning_rate", "epoch_samples_per_second"), tags.get("train"));
        assertEquals(List.of("epoch_loss", "epoch_accuracy", "epoch_ece"), tags.get("validation"));
        assertEquals(List.of("tuned_accuracy", "default_accuracy", "balanced_accuracy", "auc", "ece", "reliability_diagram",
                "confusion_matrix_tuned"), tags.get("test"));

        // where the run's time went, and which CPU kernels it ran
        var rec = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("run.json").toFile());
        for (String phase : List.of("data_prepare", "tensorflow_start", "graph_build", "training", "evaluation", "tuning",
                "export")) {
            assertTrue(rec.get("phaseSeconds").has(phase), phase + " in " + rec.get("phaseSeconds"));
            assertTrue(rec.get("phaseSeconds").get(phase).asDouble() >= 0);
        }
        assertTrue(rec.get("onednn").asText().matches("(on|off) \\(.*\\)"), rec.get("onednn").asText());

        Path quiet = dir.resolve("quiet");
        new TrainingRun(TestData.quiet()).execute(c, new TrainingRun.Environment(data, Device.CPU, 1, 0, false, false, false), quiet);
        assertTrue(Files.isRegularFile(quiet.resolve("run.json")));
        assertFalse(Files.exists(quiet.resolve("logs")));
    }
}
