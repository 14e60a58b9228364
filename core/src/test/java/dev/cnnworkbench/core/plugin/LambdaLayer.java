package dev.cnnworkbench.core.plugin;

import dev.cnnworkbench.core.engine.GraphAssembly;
import java.util.List;
import java.util.function.BiConsumer;

/** A layer plugin for core's tests whose {@link #addTo} is the given function; no parameters. */
public final class LambdaLayer implements LayerPlugin {

    private final String name;
    private final BiConsumer<GraphAssembly, Params> body;

    public LambdaLayer(String name, BiConsumer<GraphAssembly, Params> body) {
        this.name = name;
        this.body = body;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String help() {
        return "test layer";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of();
    }

    @Override
    public void addTo(GraphAssembly graph, Params params) {
        body.accept(graph, params);
    }
}
