package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.engine.WeightInits;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;

/** Fully connected layer; a volume input is flattened first. */
public final class DenseLayer implements LayerPlugin {

    @Override
    public String name() {
        return "dense";
    }

    @Override
    public String help() {
        return "fully connected layer of 'units' neurons (inputs are flattened)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.integer("units", null, 1, null, "number of neurons"),
                Activations.param("identity"),
                WeightInits.PARAM);
    }

    @Override
    public void addTo(GraphAssembly graph, Params p) {
        graph.addLayer("dense", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                .nOut(p.getInt("units"))
                .activation(Activations.byName(p.getString("activation")))
                .weightInit(WeightInits.forLayer(p, graph))
                .build());
    }
}
