package dev.losslab.train;

import dev.losslab.LosslabException;
import java.util.Locale;
import org.tensorflow.DeviceSpec;

/** Where the graph runs: the CPU, or the first CUDA GPU. */
public enum Device {
    CPU, GPU;

    public static Device parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LosslabException("unknown device '" + s + "'; valid: cpu, gpu");
        }
    }

    public DeviceSpec spec() {
        return DeviceSpec.newBuilder()
                .deviceType(this == GPU ? DeviceSpec.DeviceType.GPU : DeviceSpec.DeviceType.CPU)
                .deviceIndex(0).build();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
