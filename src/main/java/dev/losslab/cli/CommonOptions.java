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

    Device device() {
        return Device.parse(device);
    }
}
