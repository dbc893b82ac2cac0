package dev.losslab.train;

import dev.losslab.network.NetworkGraph;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.losslab.LosslabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Arithmetic precision of training. {@code fp32}: everything in float32. {@code bf16}: mixed
 * precision built into the graph ({@link NetworkGraph#logitsBf16}): the training
 * step's convolutions, pooling and dense layers run in bfloat16 on oneDNN, while variables, Adam's
 * state and the loss stay float32; evaluation and the exported SavedModel stay float32. (TF's
 * grappler rewrite {@code auto_mixed_precision_onednn_bfloat16} was the other route; measured here
 * it gained 1.26x at batch 32 against 1.5x for the graph built in bf16, so it is not used.) Only on
 * CPUs with native bfloat16 (AVX512_BF16 or AMX); elsewhere it is a one-line error.
 */
public enum Precision {
    FP32, BF16;

    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Precision parse(String s) {
        for (Precision p : values()) {
            if (p.configName().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return p;
            }
        }
        throw new LosslabException("unknown precision '" + s + "'; valid: fp32, bf16");
    }

    /** Fails with one line when bf16 is asked for where it does not run natively. */
    public void check(Device device) {
        check(device, cpuInfoLine("flags"));
    }

    /** {@link #check(Device)} against a given /proc/cpuinfo flags line (null: unknown, no bf16). */
    void check(Device device, String flags) {
        if (this != BF16) {
            return;
        }
        if (device == Device.GPU) {
            throw new LosslabException("--precision bf16 is the CPU (oneDNN) mixed-precision path; use fp32 with --device gpu");
        }
        if (!hasBf16(flags)) {
            throw new LosslabException("--precision bf16 needs a CPU with AVX512_BF16 or AMX (this one, "
                    + cpuModel() + ", has neither); use fp32");
        }
    }

    /** Whether /proc/cpuinfo lists avx512_bf16 or amx_bf16 (false where it cannot be read). */
    public static boolean cpuHasBf16() {
        return hasBf16(cpuInfoLine("flags"));
    }

    static boolean hasBf16(String flags) {
        return flags != null && (flags.contains(" avx512_bf16 ") || flags.contains(" amx_bf16 "));
    }

    /** The CPU's model name, trimmed (e.g. "AMD EPYC"), or the architecture where /proc/cpuinfo is absent. */
    public static String cpuModel() {
        String m = cpuInfoLine("model name");
        return m == null ? System.getProperty("os.arch") : m.trim();
    }

    private static String cpuInfoLine(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith(key)) {
                    int colon = line.indexOf(':');
                    return colon < 0 ? null : " " + line.substring(colon + 1).trim() + " ";
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return null;
    }
}
