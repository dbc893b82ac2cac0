package dev.losslab.cli;

import dev.losslab.train.Precision;
import dev.losslab.train.Device;
import picocli.CommandLine.Option;

/** Options every TF-running command shares. */
public final class CommonOptions {
    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--threads", defaultValue = "0", description = "TF intra-op threads; 0 = all cores (default)")
    int threads;

    @Option(names = "--inter-op", defaultValue = "0", description = "TF inter-op threads; 0 = TF's choice (default)")
    int interOp;

    @Option(names = "--xla", description = "compile with XLA's JIT (measured: see docs/performance.md)")
    boolean xla;

    @Option(names = "--precision", description = "fp32 or bf16 (mixed precision, CPUs with AVX512_BF16/AMX); "
            + "overrides the config's precision (default: the config's, else fp32)")
    String precision;

    @Option(names = "--onednn", description = "auto (default), on or off: TensorFlow's oneDNN CPU kernels (overrides the config's \"onednn\"). "
            + "The launcher sets TF_ENABLE_ONEDNN_OPTS before TensorFlow starts (auto = on, measured faster); a process "
            + "started with the other setting runs the command again in a child JVM")
    String onednn;

    /**
     * Makes the command run with the oneDNN setting asked for ({@code --onednn}, else {@code config}'s
     * {@code "onednn"} key, else auto): empty when this process already does, else the exit status of the
     * same command run again in a child JVM with it ({@link OneDnnChoice}).
     */
    java.util.OptionalInt applyOnednn(java.nio.file.Path config, picocli.CommandLine.Model.CommandSpec spec) {
        String want = OneDnnChoice.wanted(onednn, config);
        return OneDnnChoice.apply(want, Main.currentArgs(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** The --precision given, or null. */
    Precision precision() {
        return precision == null ? null : Precision.parse(precision);
    }

    Device device() {
        return Device.parse(device);
    }
}
