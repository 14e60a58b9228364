package dev.cnnworkbench.core.spec;

import java.util.List;

/**
 * An experiment as written in a spec file: what to train, how, and for how long. Built by
 * {@link SpecParser}, which guarantees every field is present and structurally valid; plugin
 * parameters are checked later, against the plugin schemas, by {@link SpecResolver}.
 *
 * @param name       the run's name
 * @param experiment the experiment (group of runs) it belongs to
 */
public record ExperimentSpec(String name, String experiment, DataSpec data, ModelSpec model, PluginRef optimizer,
                             PluginRef schedule, RegularizationSpec regularization, List<PluginRef> augment,
                             TrainSpec train) {

    public ExperimentSpec {
        augment = List.copyOf(augment);
    }

    /** The same spec with new plugin references (used to record defaults filled in by the resolver). */
    public ExperimentSpec withPlugins(List<PluginRef> layers, PluginRef optimizer, PluginRef schedule,
                                      List<PluginRef> augment) {
        return new ExperimentSpec(name, experiment, data, new ModelSpec(model.input(), model.init(), layers),
                optimizer, schedule, regularization, augment, train);
    }
}
