package dev.losslab.tune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading decision rules back from their JSON form, with one-line errors. */
public final class DecisionRules {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private DecisionRules() {
    }

    public static DecisionRule read(Path file) {
        try {
            DecisionRule rule = JSON.readValue(Files.readString(file), DecisionRule.class);
            if (rule instanceof BinaryThresholdRule b && !(b.threshold() >= 0 && b.threshold() <= 1)) {
                throw new LosslabException(file + ": threshold " + b.threshold() + " is outside [0, 1]");
            }
            if (rule.numClasses() < 2) {
                throw new LosslabException(file + ": rule is for " + rule.numClasses() + " classes; need at least 2");
            }
            return rule;
        } catch (NoSuchFileException e) {
            throw new LosslabException(file + ": rule file not found");
        } catch (JsonProcessingException e) {
            throw new LosslabException(file + ": not a decision rule (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (IOException e) {
            throw new LosslabException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
