package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An experiment as written in a spec file: what to train, how, and for how long. Built by
 * {@link SpecParser}, which guarantees every field is present and structurally valid; plugin
 * parameters are checked later, against the plugin schemas, by {@link SpecResolver}.
 *
 * @param name       the run's name
 * @param experiment the experiment (group of runs) it belongs to
 * @param diagnostics how closely training is watched
 * @param ensemble   the snapshot ensemble to collect while training, or {@code null} for none
 */
public record ExperimentSpec(String name, String experiment, DataSpec data, ModelSpec model, PluginRef optimizer,
                             PluginRef schedule, RegularizationSpec regularization, List<PluginRef> augment,
                             TrainSpec train, DiagnosticsSpec diagnostics,
                             @JsonInclude(JsonInclude.Include.NON_NULL) EnsembleSpec ensemble) {

    public ExperimentSpec {
        augment = List.copyOf(augment);
        diagnostics = diagnostics == null ? DiagnosticsSpec.DEFAULT : diagnostics;
    }

    /** A spec with default diagnostics and no ensemble section. */
    public ExperimentSpec(String name, String experiment, DataSpec data, ModelSpec model, PluginRef optimizer,
                          PluginRef schedule, RegularizationSpec regularization, List<PluginRef> augment,
                          TrainSpec train) {
        this(name, experiment, data, model, optimizer, schedule, regularization, augment, train, DiagnosticsSpec.DEFAULT, null);
    }

    /** The same spec with new plugin references (used to record defaults filled in by the resolver). */
    public ExperimentSpec withPlugins(List<PluginRef> layers, PluginRef optimizer, PluginRef schedule,
                                      List<PluginRef> augment) {
        return new ExperimentSpec(name, experiment, data, model.withLayers(layers),
                optimizer, schedule, regularization, augment, train, diagnostics, ensemble);
    }
}
