package com.example.workbench.swish;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;

/**
 * The swish non-linearity {@code x * sigmoid(beta * x)} as a layer: {@code {"type": "swish", "beta": 1.0}} in a
 * spec. The workbench finds this class through
 * {@code META-INF/services/dev.cnnworkbench.core.plugin.LayerPlugin}; it needs a public no-argument constructor
 * and must be stateless, since one instance serves every run.
 */
public final class SwishLayer implements LayerPlugin {

    @Override
    public String name() {
        return "swish";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String help() {
        return "swish activation x * sigmoid(beta * x) (Ramachandran et al. 2017); beta 1 is SiLU";
    }

    @Override
    public List<ParamSpec> params() {
        // The workbench checks a spec's values against this schema before anything is built.
        return List.of(ParamSpec.number("beta", 1.0, 0.0, 100.0,
                "slope inside the sigmoid: 0 gives x/2, large values approach relu"));
    }

    @Override
    public void addTo(GraphAssembly graph, Params params) {
        graph.addLayer("swish", new ActivationLayer.Builder()
                .activation(new SwishActivation(params.getDouble("beta")))
                .build());
    }
}
