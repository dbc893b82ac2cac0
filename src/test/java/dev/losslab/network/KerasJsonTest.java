package dev.losslab.network;

import dev.losslab.kerasfile.KerasJson;
import dev.losslab.network.layers.LayerSpec;
import dev.losslab.data.InputShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.losslab.LosslabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras JSON in its four generations (fixtures written here, see src/test/resources/keras/README.md)
 * and losslab's layer lists: one normaliser, Keras' parameter counts, and every bad input as one
 * line naming the layer.
 */
class KerasJsonTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "keras");

    @TempDir
    Path dir;

    @Test
    void allFourGenerationsGiveTheSameNetworkAndKerasCounts() {
        for (String f : List.of("gen-a-keras-2.2.4-sequential.json", "gen-b-tf-keras-2.11-sequential.json",
                "gen-c-keras-2.15-sequential.json", "gen-d-keras-3-sequential.json")) {
            NetworkSpec spec = KerasJson.read(FIXTURES.resolve(f));
            assertEquals(List.of("Conv2D", "BatchNormalization", "MaxPooling2D", "Dropout", "Flatten", "Dense"),
                    spec.layers().stream().map(LayerSpec::className).toList(), f);
            assertEquals(List.of(28, 28, 1), java.util.Arrays.stream(spec.declaredInput()).boxed().toList(), f);
            ResolvedNetwork net = ResolvedNetwork.resolve(spec, new InputShape(28, 28, 1), 10);
            assertEquals(31_594, net.trainableParams() + net.nonTrainableParams(), f);
            assertEquals(31_562, net.trainableParams(), f);
            assertEquals(32, net.nonTrainableParams(), f);
            assertEquals("softmax", net.strippedActivation(), f);
            assertEquals(-1, ((Number) spec.layers().get(1).config().getOrDefault("axis", -1)).intValue() == 3 ? -1
                    : ((Number) spec.layers().get(1).config().getOrDefault("axis", -1)).intValue(), f);
            assertTrue(spec.layers().get(5).config().get("kernel_regularizer") != null, f + ": the L2 regularizer is kept");
            String summary = net.summary();
            assertTrue(summary.contains("Total params: 31,594"), summary);
            assertTrue(summary.contains("Trainable params: 31,562"), summary);
            assertTrue(summary.contains("Non-trainable params: 32"), summary);
            assertTrue(summary.contains("(None, 14, 14, 16)"), summary);
        }
    }

    @Test
    void functionalModelsInBothNodeFormatsAreOrderedByTheirEdges() {
        for (String f : List.of("gen-b-tf-keras-2.11-functional-residual.json", "gen-d-keras-3-functional-residual.json")) {
            NetworkSpec spec = KerasJson.read(FIXTURES.resolve(f));
            List<String> order = spec.layers().stream().map(LayerSpec::name).toList();
            assertTrue(order.indexOf("c2") < order.indexOf("add") && order.indexOf("add") < order.indexOf("concat"), f + order);
            LayerSpec add = spec.layers().get(order.indexOf("add"));
            assertEquals(List.of("c1", "c2"), add.inbound(), f);
            ResolvedNetwork net = ResolvedNetwork.resolve(spec, new InputShape(32, 32, 3), 3);
            assertEquals(859, net.trainableParams(), f);
            assertEquals("dense", spec.output());
        }
    }

    @Test
    void automaticNamesFollowKerasSnakeCase() {
        assertEquals("conv2d", LayerNormaliser.snake("Conv2D"));
        assertEquals("max_pooling2d", LayerNormaliser.snake("MaxPooling2D"));
        assertEquals("batch_normalization", LayerNormaliser.snake("BatchNormalization"));
        assertEquals("global_average_pooling2d", LayerNormaliser.snake("GlobalAveragePooling2D"));
        assertEquals("re_lu", LayerNormaliser.snake("ReLU"));
    }

    @Test
    void layerListsUseKerasNamesAndDefaults() {
        var spec = LayerList.parse(List.of(
                java.util.Map.of("Conv2D", java.util.Map.of("filters", 4, "kernel_size", 3, "strides", 2)),
                java.util.Map.of("GlobalMaxPooling2D", java.util.Map.of()),
                java.util.Map.of("Dense", java.util.Map.of("units", 3))));
        ResolvedNetwork net = ResolvedNetwork.resolve(spec, new InputShape(9, 7, 2), 3);
        // valid padding by default: (9 - 3) / 2 + 1 = 4, (7 - 3) / 2 + 1 = 3
        assertEquals(List.of(4, 3, 4), java.util.Arrays.stream(net.layers().get(0).outputShape()).boxed().toList());
        assertEquals(3 * 3 * 2 * 4 + 4 + 4 * 3 + 3, net.trainableParams());
        assertEquals("GlorotUniform", ((java.util.Map<?, ?>) spec.layers().get(0).config().get("kernel_initializer")).get("class_name"));
        // the notebook's CNN as a list: Keras' counts for 2 classes
        ResolvedNetwork notebook = ResolvedNetwork.resolve(LayerList.notebook("same", 2), new InputShape(28, 28, 1), 2);
        assertEquals(640 + 18_464 + 9_248 + 51_300 + 101, notebook.trainableParams());
    }

    private Path write(String json) throws IOException {
        Path p = dir.resolve("m.json");
        Files.writeString(p, json);
        return p;
    }

    private void assertError(String json, String fragment) throws IOException {
        Path p = write(json);
        var e = assertThrows(LosslabException.class, () -> ResolvedNetwork.resolve(KerasJson.read(p), new InputShape(28, 28, 1), 10));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void badModelsAreOneLineNamingTheLayer() throws IOException {
        String seq = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [%s]}}";
        String flatDense = "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"f\"}}, {\"class_name\": \"Dense\", \"config\": "
                + "{\"name\": \"d\", \"units\": 10}}";
        assertError(seq.formatted("{\"class_name\": \"Conv3D\", \"config\": {\"name\": \"c\"}}, " + flatDense),
                "layer 0 'c' (Conv3D): layer class 'Conv3D' is not supported; supported: InputLayer, Conv2D");
        assertError(seq.formatted("{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", \"filters\": 2, \"kernel_size\": 3, "
                + "\"data_format\": \"channels_first\"}}, " + flatDense), "data_format 'channels_first' is not supported");
        assertError(seq.formatted("{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", \"filters\": 2, \"kernel_size\": 3, "
                + "\"activation\": \"log_softmax\"}}, " + flatDense), "activation 'log_softmax' is not supported");
        assertError(seq.formatted("{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", \"filters\": 2, \"kernel_size\": 3, "
                + "\"kernel_initializer\": {\"class_name\": \"Orthogonal\", \"config\": {}}}}, " + flatDense),
                "initializer 'Orthogonal' is not supported");
        assertError(seq.formatted(flatDense.replace("\"units\": 10", "\"units\": 7")), "for 10 classes it must give 10 units");
        assertError(seq.formatted("{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 32, 32, 3], \"name\": \"i\"}}, "
                + flatDense), "the network takes input (None, 32, 32, 3) but the data give 28x28x1");
        assertError("{\"foo\": 1}", "not a Keras model JSON");
        String fn = "{\"class_name\": \"Functional\", \"config\": {\"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"d\", 0, 0]], "
                + "\"layers\": [{\"class_name\": \"InputLayer\", \"name\": \"in\", \"config\": {\"batch_input_shape\": [null, 28, 28, 1]}, "
                + "\"inbound_nodes\": []}, %s]}}";
        assertError(fn.formatted("{\"class_name\": \"Add\", \"name\": \"a\", \"config\": {}, \"inbound_nodes\": [[[\"b\", 0, 0, {}], [\"in\", 0, 0, {}]]]},"
                + "{\"class_name\": \"Add\", \"name\": \"b\", \"config\": {}, \"inbound_nodes\": [[[\"a\", 0, 0, {}], [\"in\", 0, 0, {}]]]},"
                + "{\"class_name\": \"Flatten\", \"name\": \"f\", \"config\": {}, \"inbound_nodes\": [[[\"b\", 0, 0, {}]]]},"
                + "{\"class_name\": \"Dense\", \"name\": \"d\", \"config\": {\"units\": 10}, \"inbound_nodes\": [[[\"f\", 0, 0, {}]]]}"),
                "form a cycle");
        assertError(fn.formatted("{\"class_name\": \"Flatten\", \"name\": \"f\", \"config\": {}, \"inbound_nodes\": [[[\"ghost\", 0, 0, {}]]]},"
                + "{\"class_name\": \"Dense\", \"name\": \"d\", \"config\": {\"units\": 10}, \"inbound_nodes\": [[[\"f\", 0, 0, {}]]]}"),
                "takes its input from 'ghost', which is not a layer of the model");
    }
}
