package dev.cnnworkbench.core.experiment;

import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.Plugin;
import dev.cnnworkbench.core.spec.PluginRef;

/**
 * A plugin named in a spec, found in the registry, with its parameters validated.
 *
 * @param path the JSON path of the reference in the spec, for errors raised while building
 */
public record ResolvedPlugin<T extends Plugin>(T plugin, Params params, String path) {

    /** The reference as recorded with the run: type plus every parameter, defaults included. */
    public PluginRef toRef() {
        return new PluginRef(plugin.name(), params.asMap());
    }
}
