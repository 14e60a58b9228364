package dev.cnnworkbench.web;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.ParamType;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;

/**
 * A stand-in for the built-in {@code conv2d} layer with the same schema, on the web tests' class path (the real one
 * lives in the plugins module, which brings DL4J, which the web module keeps out). Never builds anything.
 */
public final class StubConv2d implements LayerPlugin {

    @Override
    public String name() {
        return "conv2d";
    }

    @Override
    public String help() {
        return "2-D convolution; output size (W - K + 2P) / S + 1";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.integer("filters", null, 1, null, "number of filters (output channels)"),
                new ParamSpec("kernel", ParamType.INT_PAIR, 3, 1.0, null, List.of(), "kernel size K, or [height, width]"),
                new ParamSpec("stride", ParamType.INT_PAIR, 1, 1.0, null, List.of(), "stride S, or [height, width]"),
                new ParamSpec("padding", ParamType.INT_PAIR, 0, 0.0, null, List.of("same"), "zero padding P, or \"same\""),
                ParamSpec.choice("activation", "identity", List.of("identity", "relu", "tanh"), "activation function"));
    }

    @Override
    public void addTo(GraphAssembly graph, Params params) {
        throw new UnsupportedOperationException("a test stand-in builds no network");
    }
}
