package dev.losslab.cli;

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

    @Option(names = "--xla", description = "compile with XLA's JIT (measured: see README's performance section)")
    boolean xla;

    @Option(names = "--precision", description = "fp32 or bf16 (mixed precision, CPUs with AVX512_BF16/AMX); "
            + "overrides the config's precision (default: the config's, else fp32)")
    String precision;

    /** The --precision given, or null. */
    dev.losslab.train.Precision precision() {
        return precision == null ? null : dev.losslab.train.Precision.parse(precision);
    }

    Device device() {
        return Device.parse(device);
    }
}
