package dev.losslab.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.losslab.LosslabException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Callbacks written back with every argument (Keras' defaults, the resolved mode) read back to the same callback. */
class CallbackConfigTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyCallbackWritesItselfBack() throws Exception {
        assertEquals(List.of("EarlyStopping", "ReduceLROnPlateau"), List.copyOf(Callback.REGISTRY.names()));
        JsonNode list = JSON.readTree("""
                [{"EarlyStopping": {"monitor": "val_balanced_accuracy", "patience": 3, "restore_best_weights": true}},
                 "ReduceLROnPlateau"]""");
        List<Callback> cs = Callback.parseList("callbacks", list);
        JsonNode written = JSON.valueToTree(cs.stream().map(Callback::toConfig).toList());
        List<Callback> back = Callback.parseList("callbacks", written);
        assertEquals(cs.get(0).toConfig(), back.get(0).toConfig());
        assertEquals(cs.get(1).toConfig(), back.get(1).toConfig());
        assertEquals(cs.get(0), new EarlyStopping(((EarlyStopping) back.get(0)).monitor(), ((EarlyStopping) back.get(0)).minDelta(),
                ((EarlyStopping) back.get(0)).patience(), ((EarlyStopping) back.get(0)).maximise(),
                ((EarlyStopping) back.get(0)).baseline(), ((EarlyStopping) back.get(0)).restoreBestWeights(),
                ((EarlyStopping) back.get(0)).startFromEpoch(), cs.get(0).toJson()), "the same callback, only the raw form differs");
        assertEquals("max", written.at("/0/EarlyStopping/mode").asText(), "auto resolved: balanced accuracy goes up");
        assertEquals(10, written.at("/1/ReduceLROnPlateau/patience").asInt(), "Keras' default");
        assertEquals(0.1, written.at("/1/ReduceLROnPlateau/factor").asDouble());
        LosslabException e = assertThrows(LosslabException.class, () -> Callback.parseList("callbacks",
                JSON.readTree("[{\"EarlyStopping\": {\"factor\": 0.5}}]")));
        assertTrue(e.getMessage().startsWith("callbacks[0].EarlyStopping.factor: EarlyStopping has no argument 'factor'"),
                e.getMessage());
    }
}
