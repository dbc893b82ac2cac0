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

    @Option(names = "--onednn", description = "auto (default), on or off: TensorFlow's oneDNN CPU kernels. Set by the "
            + "tools/losslab launcher before TensorFlow starts (TF_ENABLE_ONEDNN_OPTS); auto = on, measured faster here")
    String onednn;

    /** Checks --onednn against what the process runs with (the launcher sets it; a plain java call cannot). */
    void checkOnednn() {
        if (onednn == null) {
            return;
        }
        String want = onednn.trim().toLowerCase(java.util.Locale.ROOT);
        if (!want.equals("auto") && !want.equals("on") && !want.equals("off")) {
            throw new dev.losslab.LosslabException("--onednn: unknown '" + onednn + "'; valid: auto, on, off");
        }
        String state = dev.losslab.train.OneDnn.state();
        if (!want.equals("auto") && !state.startsWith(want)) {
            throw new dev.losslab.LosslabException("--onednn " + want + " must be set before TensorFlow starts: run through "
                    + "tools/losslab, or set " + dev.losslab.train.OneDnn.ENV + "=" + (want.equals("on") ? 1 : 0)
                    + " (this process: oneDNN " + state + ")");
        }
    }

    /** The --precision given, or null. */
    dev.losslab.train.Precision precision() {
        return precision == null ? null : dev.losslab.train.Precision.parse(precision);
    }

    Device device() {
        return Device.parse(device);
    }
}
