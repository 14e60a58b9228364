package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;

/** An element-wise non-linearity as a layer of its own. */
public final class ActivationLayer implements LayerPlugin {

    @Override
    public String name() {
        return "activation";
    }

    @Override
    public String help() {
        return "element-wise non-linearity: sigmoid, tanh, relu, leakyrelu, elu, softmax";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.choice("fn", null, Activations.NAMES, "the function"),
                ParamSpec.number("alpha", 0.01, 0.0, null, "negative slope of leakyrelu"));
    }

    @Override
    public void addTo(GraphAssembly graph, Params p) {
        graph.addLayer("act", new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                .activation(Activations.byName(p.getString("fn"), p.getDouble("alpha")))
                .build());
    }
}
