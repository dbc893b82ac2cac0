package dev.losslab.tensorboard;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;
import org.tensorflow.proto.SummaryMetadata;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * One TensorBoard event file in a run folder, written from Java (no summary ops in the training
 * graph): {@code events.out.tfevents.<secs>.<host>.<pid>.<n>.losslab}, first record
 * {@code file_version = "brain.Event:2"}, then one {@link Event} per value, framed by
 * {@link RecordFile}. Scalars are legacy {@code simple_value}s (read by TensorBoard's dashboards and
 * by {@code EventAccumulator.Scalars}); images are {@code Summary.Image} PNGs. Each write is flushed,
 * so a run killed mid-way leaves whole records.
 */
public final class EventWriter implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final OutputStream out;
    private final Path file;

    public EventWriter(Path runDir) throws IOException {
        Files.createDirectories(runDir);
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (IOException e) {
            host = "localhost";
        }
        file = runDir.resolve(String.format("events.out.tfevents.%010d.%s.%d.%d.losslab", System.currentTimeMillis() / 1000,
                host, ProcessHandle.current().pid(), COUNTER.incrementAndGet()));
        out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        write(Event.newBuilder().setWallTime(now()).setFileVersion("brain.Event:2").build());
    }

    public Path file() {
        return file;
    }

    static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** Writes one event and flushes. */
    public synchronized void write(Event e) throws IOException {
        out.write(RecordFile.frame(e.toByteArray()));
        out.flush();
    }

    public void scalar(String tag, long step, double value) throws IOException {
        summary(step, Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value).build());
    }

    /** A PNG image ({@code channels}: 1 grey, 3 RGB, 4 RGBA). */
    public void image(String tag, long step, byte[] png, int height, int width, int channels) throws IOException {
        summary(step, Summary.Value.newBuilder().setTag(tag).setImage(Summary.Image.newBuilder().setHeight(height)
                .setWidth(width).setColorspace(channels).setEncodedImageString(ByteString.copyFrom(png))).build());
    }

    /**
     * A plugin's value with an empty float tensor (how the HParams plugin stores its protos:
     * TensorBoard's {@code NULL_TENSOR}).
     */
    public void pluginData(String tag, String plugin, byte[] content) throws IOException {
        TensorProto nullTensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(0))).build();
        SummaryMetadata meta = SummaryMetadata.newBuilder().setPluginData(SummaryMetadata.PluginData.newBuilder()
                .setPluginName(plugin).setContent(ByteString.copyFrom(content)))
                .setDataClass(org.tensorflow.proto.DataClass.DATA_CLASS_TENSOR).build();
        summary(0, Summary.Value.newBuilder().setTag(tag).setMetadata(meta).setTensor(nullTensor).build());
    }

    private void summary(long step, Summary.Value v) throws IOException {
        write(Event.newBuilder().setWallTime(now()).setStep(step).setSummary(Summary.newBuilder().addValue(v)).build());
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
