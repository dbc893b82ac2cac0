package dev.losslab.train;

import java.util.Locale;

/**
 * Whether TensorFlow runs its oneDNN (MKL) CPU kernels. TF reads {@code TF_ENABLE_ONEDNN_OPTS} once,
 * when its native library starts; unset, TF turns oneDNN on only on CPUs with AVX512_VNNI,
 * AVX512_BF16 or AMX. losslab's launcher sets it from {@code --onednn auto|on|off} (auto: on, since
 * it measured faster for these networks on the CPUs measured; see docs/performance.md), and passes it
 * to {@code --jobs} workers and Slurm tasks; this class only reports what the process runs with.
 */
public final class OneDnn {
    public static final String ENV = "TF_ENABLE_ONEDNN_OPTS";

    private OneDnn() {
    }

    /** "on (TF_ENABLE_ONEDNN_OPTS=1)", "off (...=0)", or TF's default for this CPU when unset. */
    public static String state() {
        String v = System.getenv(ENV);
        if (v != null && !v.isBlank()) {
            boolean on = v.trim().equals("1") || v.trim().equalsIgnoreCase("true");
            return (on ? "on" : "off") + " (" + ENV + "=" + v.trim() + ")";
        }
        String flags = cpuFlags();
        boolean tfDefault = flags != null && (flags.contains(" avx512_vnni ") || flags.contains(" avx512_bf16 ")
                || flags.contains(" amx_tile ") || flags.contains(" amx_bf16 "));
        return (tfDefault ? "on" : "off") + " (TF's default for this CPU; " + ENV + " unset)";
    }

    private static String cpuFlags() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return " " + line.substring(line.indexOf(':') + 1).trim().toLowerCase(Locale.ROOT) + " ";
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
