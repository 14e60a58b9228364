package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;

/**
 * Stretches a volume into a vector (channel, row, column order). Dense and output layers flatten their input by
 * themselves, so this is only needed before layers that would otherwise act per channel, such as a softmax
 * {@code activation} over all features.
 */
public final class FlattenLayer implements LayerPlugin {

    @Override
    public String name() {
        return "flatten";
    }

    @Override
    public String help() {
        return "volume [C, H, W] to vector [C*H*W]; dense and output layers do this implicitly";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of();
    }

    @Override
    public void addTo(GraphAssembly graph, Params p) {
        graph.addVertex("flatten", new PreprocessorVertex(new FlattenPreProcessor()), graph.head());
    }
}
