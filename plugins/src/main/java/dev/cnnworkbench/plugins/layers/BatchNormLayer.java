package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;

/**
 * Batch normalization, per channel on volumes and per feature on vectors: {@code y = gamma * (x - mu) /
 * sqrt(var + eps) + beta}. In training {@code mu} and {@code var} are the mini-batch's and the running averages
 * are updated as {@code running = decay * running + (1 - decay) * batch}; at inference the running averages are
 * used, so the layer is a fixed affine map.
 */
public final class BatchNormLayer implements LayerPlugin {

    @Override
    public String name() {
        return "batchnorm";
    }

    @Override
    public String help() {
        return "batch normalization (batch statistics in training, running averages at inference)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.number("decay", 0.9, 0.0, 1.0,
                        "momentum of the running averages: running = decay*running + (1-decay)*batch"),
                ParamSpec.number("eps", 1e-5, 0.0, null, "added to the variance before the square root"));
    }

    @Override
    public void addTo(GraphAssembly graph, Params p) {
        graph.addLayer("bn", of(p.getDouble("decay"), p.getDouble("eps")));
    }

    /** The DL4J layer, also used inside residual blocks. */
    static BatchNormalization of(double decay, double eps) {
        return new BatchNormalization.Builder().decay(decay).eps(eps).build();
    }
}
