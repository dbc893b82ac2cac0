package dev.losslab.tensorboard;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * TensorBoard's HParams plugin data, encoded by hand from its protos (tensorflow/tensorboard
 * {@code plugins/hparams/plugin_data.proto}, {@code api.proto}; no generated classes needed):
 * {@code HParamsPluginData{version=1, session_start_info=3 | session_end_info=4 | experiment=2}}.
 * Values use {@code google.protobuf.Value}: {@code number_value=2}, {@code string_value=3}.
 */
public final class HParams {
    public static final String PLUGIN = "hparams";
    public static final String SESSION_START = "_hparams_/session_start_info";
    public static final String SESSION_END = "_hparams_/session_end_info";
    public static final String EXPERIMENT = "_hparams_/experiment";
    /** SessionEndInfo.Status. */
    public static final int STATUS_SUCCESS = 1;
    public static final int STATUS_FAILURE = 2;

    private HParams() {
    }

    /** {@code SessionStartInfo{hparams=1 (map), group_name=4, start_time_secs=5}} in plugin data. */
    public static byte[] sessionStart(Map<String, Object> hparams, String group, double startSecs) throws IOException {
        byte[] info = message(o -> {
            for (var e : hparams.entrySet()) {
                byte[] entry = message(m -> {
                    m.writeString(1, e.getKey());
                    m.writeByteArray(2, value(e.getValue()));
                });
                o.writeByteArray(1, entry);
            }
            o.writeString(4, group);
            o.writeDouble(5, startSecs);
        });
        return pluginData(3, info);
    }

    /** {@code SessionEndInfo{status=1, end_time_secs=2}} in plugin data. */
    public static byte[] sessionEnd(int status, double endSecs) throws IOException {
        return pluginData(4, message(o -> {
            o.writeEnum(1, status);
            o.writeDouble(2, endSecs);
        }));
    }

    /**
     * {@code Experiment{hparam_infos=4, metric_infos=5}}: each hparam with its type (STRING=1, FLOAT64=3),
     * each metric by {@code MetricName{group=1, tag=2}}.
     */
    public static byte[] experiment(Map<String, Boolean> hparamIsNumber, List<String[]> metrics) throws IOException {
        return pluginData(2, message(o -> {
            for (var e : hparamIsNumber.entrySet()) {
                o.writeByteArray(4, message(h -> {
                    h.writeString(1, e.getKey());
                    h.writeEnum(4, e.getValue() ? 3 : 1);
                }));
            }
            for (String[] m : metrics) {
                o.writeByteArray(5, message(mi -> mi.writeByteArray(1, message(n -> {
                    n.writeString(1, m[0]);
                    n.writeString(2, m[1]);
                }))));
            }
        }));
    }

    private static byte[] pluginData(int field, byte[] body) throws IOException {
        return message(o -> {
            o.writeInt32(1, 0);
            o.writeByteArray(field, body);
        });
    }

    static byte[] value(Object v) throws IOException {
        return message(o -> {
            if (v instanceof Number n) {
                o.writeDouble(2, n.doubleValue());
            } else if (v instanceof Boolean b) {
                o.writeBool(4, b);
            } else {
                o.writeString(3, String.valueOf(v));
            }
        });
    }

    interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] message(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        body.write(out);
        out.flush();
        return bytes.toByteArray();
    }
}
