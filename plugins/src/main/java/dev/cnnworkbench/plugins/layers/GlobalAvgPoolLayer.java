package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;

/** Global average pooling: each channel's mean over height and width, {@code [C, H, W]} to a vector {@code [C]}. */
public final class GlobalAvgPoolLayer implements LayerPlugin {

    @Override
    public String name() {
        return "globalavgpool";
    }

    @Override
    public String help() {
        return "average of each channel over the whole image: [C, H, W] -> [C], no parameters";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of();
    }

    @Override
    public void addTo(GraphAssembly graph, Params p) {
        graph.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).collapseDimensions(true).build());
    }
}
