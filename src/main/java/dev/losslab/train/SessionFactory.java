package dev.losslab.train;

import dev.losslab.LosslabException;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;

/** Session configuration shared by training, benchmarking and inference. */
public final class SessionFactory {
    private SessionFactory() {
    }

    public static ConfigProto config(Device device, int threads) {
        return config(device, threads, 0, false);
    }

    public static ConfigProto config(TrainingOptions o) {
        ConfigProto base = config(o.device(), o.threads(), o.interOpThreads(), o.xla());
        if (o.precision() != Precision.BF16) {
            return base;
        }
        // oneDNN's bfloat16 auto mixed precision: grappler rewrites the graph, keeping variables fp32
        GraphOptions.Builder g = base.getGraphOptions().toBuilder();
        g.setRewriteOptions(g.getRewriteOptions().toBuilder()
                .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON));
        return base.toBuilder().setGraphOptions(g).build();
    }

    public static ConfigProto config(Device device, int threads, int interOpThreads, boolean xla) {
        ConfigProto.Builder b = ConfigProto.newBuilder()
                // The model's ops are pinned to the requested device; an op that cannot run there
                // must fail loudly rather than fall back silently.
                .setAllowSoftPlacement(false);
        if (threads > 0) {
            b.setIntraOpParallelismThreads(threads);
        }
        if (interOpThreads > 0) {
            b.setInterOpParallelismThreads(interOpThreads);
        }
        if (xla) {
            b.setGraphOptions(GraphOptions.newBuilder().setOptimizerOptions(
                    OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1)));
        }
        if (device == Device.GPU) {
            b.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
        } else {
            b.putDeviceCount("GPU", 0);
        }
        return b.build();
    }

    /** Fails with a one-line message when {@code device} is the GPU and TF cannot see one. */
    public static void checkDevice(Device device) {
        if (device != Device.GPU) {
            return;
        }
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g).withDevice(Device.GPU.spec());
            var probe = tf.math.add(tf.constant(1f), tf.constant(1f));
            try (Session s = new Session(g, config(Device.GPU, 0));
                 var r = s.runner().fetch(probe).run()) {
                ((TFloat32) r.get(0)).getFloat();
            }
        } catch (RuntimeException e) {
            throw new LosslabException("--device gpu: no GPU is visible to TensorFlow (needs the 'gpu' Maven profile, "
                    + "an NVIDIA driver, CUDA 12 and cuDNN); TF said: " + LosslabException.firstLine(e.getMessage()));
        }
    }
}
