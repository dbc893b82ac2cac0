package dev.losslab.network;

import dev.losslab.network.layers.LayerSpec;
import dev.losslab.LosslabException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders a functional network's layers so each comes after its inputs (Kahn's algorithm, ties in
 * file order), never trusting the file's order; a missing inbound layer, a cycle or a layer the
 * input never reaches is a one-line error naming it.
 */
public final class Topology {
    private Topology() {
    }

    public static List<LayerSpec> order(List<LayerSpec> layers, String input) {
        Map<String, LayerSpec> byName = new LinkedHashMap<>();
        for (LayerSpec l : layers) {
            if (byName.put(l.name(), l) != null) {
                throw new LosslabException("two layers are named '" + l.name() + "'");
            }
        }
        for (LayerSpec l : layers) {
            for (String in : l.inbound()) {
                if (!byName.containsKey(in)) {
                    throw new LosslabException("layer '" + l.name() + "' takes its input from '" + in
                            + "', which is not a layer of the model");
                }
            }
            if (l.inbound().isEmpty() && !l.name().equals(input)) {
                throw new LosslabException("layer '" + l.name() + "' has no input (only the InputLayer '" + input + "' may)");
            }
        }
        Map<String, Integer> waiting = new HashMap<>();
        for (LayerSpec l : layers) {
            waiting.put(l.name(), l.inbound().size());
        }
        List<LayerSpec> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        boolean progress = true;
        while (out.size() < layers.size() && progress) {
            progress = false;
            for (LayerSpec l : layers) {
                if (!done.contains(l.name()) && done.containsAll(l.inbound())) {
                    out.add(l);
                    done.add(l.name());
                    progress = true;
                }
            }
        }
        if (out.size() < layers.size()) {
            List<String> stuck = layers.stream().map(LayerSpec::name).filter(n -> !done.contains(n)).toList();
            throw new LosslabException("the layers " + stuck + " form a cycle (each waits for another)");
        }
        return out;
    }
}
