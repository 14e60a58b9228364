package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;

/** Layer normalization: per-example statistics over all features, the same in training and at inference. */
public final class LayerNormLayer implements LayerPlugin {

    @Override
    public String name() {
        return "layernorm";
    }

    @Override
    public String help() {
        return "layer normalization: each example normalised over all its features (same at train and test)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ParamSpec.number("eps", 1e-5, 0.0, null, "added to the variance before the square root"));
    }

    @Override
    public void addTo(GraphAssembly graph, Params p) {
        graph.addLayer("ln", new LayerNormalization.Builder().eps(p.getDouble("eps")).build());
    }
}
