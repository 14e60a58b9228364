package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;

/**
 * Inverted dropout: in training each unit is zeroed with probability {@code drop} and the survivors are
 * scaled by {@code 1 / (1 - drop)}; at inference it is the identity.
 */
public final class DropoutLayer implements LayerPlugin {

    @Override
    public String name() {
        return "dropout";
    }

    @Override
    public String help() {
        return "inverted dropout; 'drop' is the probability of DROPPING a unit (training only)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ParamSpec.number("drop", 0.5, 0.0, 0.99, "probability that a unit is dropped"));
    }

    @Override
    public void addTo(GraphAssembly graph, Params p) {
        // DL4J's argument is the probability of RETAINING a unit.
        graph.addLayer("dropout", new org.deeplearning4j.nn.conf.layers.DropoutLayer.Builder(1.0 - p.getDouble("drop"))
                .build());
    }
}
