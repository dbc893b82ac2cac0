package dev.losslab.network.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every layer kind reads its config once, into typed settings, with Keras' defaults from its {@code kerasDefaults}
 * only: a config silent on a key resolves to Keras' default, and no kind's {@code shape} or {@code ops} reads the
 * config map again (checked on the compiled classes).
 */
class LayerSettingsTest {

    /** LayerSpec's config readers: what only {@code read} may call. */
    private static final Set<String> READERS = Set.of("bool", "number", "integer", "string", "pair", "padding", "has",
            "config");

    @Test
    void noKindReadsItsConfigAfterReadingItsSettings() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.losslab.network.layers");
        List<String> kinds = new ArrayList<>();
        List<String> offending = new ArrayList<>();
        for (JavaClass c : classes) {
            if (!c.isAssignableTo(KerasLayer.class) || c.isEquivalentTo(KerasLayer.class)) {
                continue;
            }
            kinds.add(c.getSimpleName());
            c.getMethods().stream().filter(m -> m.getName().equals("shape") || m.getName().equals("ops")).forEach(m -> {
                for (JavaMethodCall call : m.getMethodCallsFromSelf()) {
                    if (call.getTargetOwner().isEquivalentTo(LayerSpec.class) && READERS.contains(call.getName())) {
                        offending.add(c.getSimpleName() + "." + m.getName() + " calls LayerSpec." + call.getName());
                    }
                }
            });
        }
        assertTrue(kinds.size() >= 20, "layer kinds found: " + kinds);
        assertEquals(List.of(), offending);
    }

    private static ResolvedLayer resolve(String className, Map<String, Object> config, int... input) {
        Map<String, Object> c = new LinkedHashMap<>(config);
        KerasLayer<?> kind = LayerKinds.of(className, "test");
        kind.normalise(className, c, "test");
        return kind.resolve(new LayerSpec(className, "l", c, List.of()), List.of(input), "test");
    }

    @Test
    void aSilentConfigResolvesToKerasDefaults() {
        var dense = (DenseLayer.Settings) resolve("Dense", Map.of("units", 3), 4).settings();
        assertTrue(dense.useBias());
        assertEquals("linear", dense.activation());
        assertNull(dense.kernelRegularizer());
        assertEquals("GlorotUniform", dense.kernelInitializer().get("class_name"));

        var conv = (Conv2DLayer.Settings) resolve("Conv2D", Map.of("filters", 2, "kernel_size", 3), 5, 5, 1).settings();
        assertArrayEquals(new int[] {1, 1}, conv.window().strides());
        assertArrayEquals(new int[] {1, 1}, conv.window().dilation());
        assertEquals("valid", conv.window().padding());
        assertEquals(1, conv.groups());

        var pool = (PoolingLayer.Settings) resolve("MaxPooling2D", Map.of("pool_size", 3), 9, 9, 1).settings();
        assertArrayEquals(new int[] {3, 3}, pool.strides(), "strides default to the pool size");

        var bn = (BatchNormalizationLayer.Settings) resolve("BatchNormalization", Map.of(), 4).settings();
        assertEquals(0.99f, bn.momentum());
        assertEquals(1e-3f, bn.epsilon());
        assertTrue(bn.center() && bn.scale() && bn.trainable());

        assertEquals(0.3, (Double) resolve("LeakyReLU", Map.of(), 4).settings());
        var relu = (ReLULayer.Settings) resolve("ReLU", Map.of("max_value", 6), 4).settings();
        assertEquals(6.0, relu.maxValue());
        assertEquals(0.0, relu.negativeSlope());
    }

    @Test
    void aConfigValueOverridesTheDefaultAndANullTakesIt() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("units", 2);
        c.put("use_bias", false);
        c.put("activation", null);
        LayerSpec l = new LayerSpec("Dense", "d", c, List.of());
        LayerSpec merged = l.withDefaults(Map.of("use_bias", true, "activation", "linear", "units", 1));
        assertFalse(merged.bool("use_bias"));
        assertEquals("linear", merged.string("activation"));
        assertEquals(2, merged.integer("units"));
        var dense = (DenseLayer.Settings) resolve("Dense", Map.of("units", 2, "use_bias", false, "activation", "relu"), 4)
                .settings();
        assertFalse(dense.useBias());
        assertEquals("relu", dense.activation());
        assertEquals(1, resolve("Dense", Map.of("units", 2, "use_bias", false), 4).weights().size(), "no bias weight");
    }
}
