package dev.cnnworkbench.core.plugin;

import dev.cnnworkbench.core.engine.GraphAssembly;

/** A layer (or block of layers) that appends itself to the network a spec describes. */
public interface LayerPlugin extends Plugin {

    @Override
    default PluginKind kind() {
        return PluginKind.LAYER;
    }

    /**
     * Appends this layer's vertices after {@link GraphAssembly#head()} and leaves the head on its
     * output. Called once per occurrence in a spec, on the thread that builds the network.
     */
    void addTo(GraphAssembly graph, Params params);
}
