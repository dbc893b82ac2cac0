package dev.losslab.network.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keras' regularizers: Keras' defaults, its string aliases, the normalised form the graph reads, written back as Keras does. */
class KerasRegularizerTest {
    @Test
    void readsKerasFormsAndWritesThemBack() {
        assertEquals(new KerasRegularizer("L2", 0, 0.01), KerasRegularizer.parse("l2", "w"));
        assertEquals(new KerasRegularizer("L1", 0.01, 0), KerasRegularizer.parse("L1", "w"));
        assertEquals(new KerasRegularizer("L1L2", 0, 0), KerasRegularizer.parse("l1_l2", "w"));
        KerasRegularizer r = KerasRegularizer.parse(Map.of("class_name", "L2", "config", Map.of("l2", 1e-4)), "w");
        assertEquals(1e-4, r.l2());
        assertEquals(r, KerasRegularizer.ofNormalised(r.normalised()));
        assertEquals(r, KerasRegularizer.parse(r.toConfig(), "w"), "written back as Keras does, read back the same");
        assertEquals(Map.of("l2", 1e-4), r.toConfig().get("config"));
        assertEquals("keras.regularizers", r.toConfig().get("module"));
        KerasRegularizer both = KerasRegularizer.parse(Map.of("class_name", "L1L2", "config", Map.of("l1", 0.1, "l2", 0.2)), "w");
        assertEquals(both, KerasRegularizer.parse(both.toConfig(), "w"));
        LosslabException e = assertThrows(LosslabException.class, () -> KerasRegularizer.parse("OrthogonalRegularizer", "w"));
        assertTrue(e.getMessage().startsWith("w: kernel_regularizer 'OrthogonalRegularizer' is not supported"), e.getMessage());
    }
}
