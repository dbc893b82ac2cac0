package dev.losslab.savedmodel;

import dev.losslab.data.DecodeOptions;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.losslab.LosslabException;
import dev.losslab.data.PixelScaling;
import dev.losslab.data.AtomicFiles;
import dev.losslab.network.ModelSpec;
import dev.losslab.tune.DecisionRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a losslab SavedModel says about itself, in {@code assets/losslab-model.json} (TF's loaders
 * ignore unreferenced assets, so the model still loads anywhere): the Fashion-MNIST ids and names of
 * its output positions, the pixel scaling it expects, what its output holds, its network and loss,
 * and the decision rule tuned on validation. {@code predict} uses it for column names, for mapping
 * labels, for the pixel scaling and as the default rule. {@code inputShape} is {@code [H, W, C]} and
 * {@code decoding} how pictures were decoded for training (colour mode, size, interpolation, crop or
 * pad), so {@code predict} converts pictures exactly as training did; both are absent in older models.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(String format, int[] classIds, List<String> classNames, String pixels, String outputs,
                            ModelSpec model, String loss, DecisionRule rule, int[] inputShape,
                            DecodeOptions decoding) {
    public static final String FORMAT = "losslab-model/1";

    /** Metadata of a 28x28x1 model without decoding details (as models before own data). */
    public ModelMetadata(String format, int[] classIds, List<String> classNames, String pixels, String outputs,
                         ModelSpec model, String loss, DecisionRule rule) {
        this(format, classIds, classNames, pixels, outputs, model, loss, rule, null, null);
    }
    public static final String FILE = "losslab-model.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static Path file(Path savedModel) {
        return savedModel.resolve("assets").resolve(FILE);
    }

    public void write(Path savedModel) throws IOException {
        Files.createDirectories(savedModel.resolve("assets"));
        AtomicFiles.writeString(file(savedModel), JSON.writeValueAsString(this));
    }

    /** The metadata of a losslab SavedModel; empty for any other model; a one-line error when it is corrupt. */
    public static Optional<ModelMetadata> read(Path savedModel) {
        Path f = file(savedModel);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            ModelMetadata m = JSON.readValue(f.toFile(), ModelMetadata.class);
            if (m.classIds() == null || m.classNames() == null || m.classIds().length != m.classNames().size()
                    || m.classIds().length < 2) {
                throw new LosslabException(f + ": classIds and classNames must list the same classes (>= 2)");
            }
            PixelScaling.parse(m.pixels());
            OutputKind.parse(m.outputs());
            return Optional.of(m);
        } catch (IOException e) {
            throw new LosslabException(f + ": not valid losslab model metadata (" + LosslabException.firstLine(e.getMessage()) + ")");
        }
    }
}
