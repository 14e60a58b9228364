package dev.cnnworkbench.core.experiment;

import dev.cnnworkbench.core.plugin.AugmentationPlugin;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.OptimizerPlugin;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.Plugin;
import dev.cnnworkbench.core.plugin.PluginKind;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.plugin.SchedulePlugin;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.PluginRef;
import dev.cnnworkbench.core.spec.SpecError;
import dev.cnnworkbench.core.spec.SpecException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the plugins a spec names and checks their parameters against the plugins' schemas, reporting
 * every problem at once with its JSON path. Thread-safe when the registry is.
 */
public final class SpecResolver {

    private final PluginRegistry registry;

    public SpecResolver(PluginRegistry registry) {
        this.registry = registry;
    }

    /** Resolves {@code spec}; throws {@link SpecException} listing every unknown plugin and bad parameter. */
    public Experiment resolve(ExperimentSpec spec) {
        List<SpecError> errors = new ArrayList<>();
        Experiment experiment = resolve(spec, errors);
        if (!errors.isEmpty()) {
            throw new SpecException(errors);
        }
        return experiment;
    }

    /**
     * Resolves what it can of {@code spec} (which may come from a lenient parse, its optimizer or schedule missing),
     * appending every problem to {@code errors}; returns the experiment, or {@code null} when a problem was found.
     */
    public Experiment resolve(ExperimentSpec spec, List<SpecError> errors) {
        int before = errors.size();
        List<ResolvedPlugin<LayerPlugin>> layers = new ArrayList<>();
        for (int i = 0; i < spec.model().layers().size(); i++) {
            layers.add(one(LayerPlugin.class, PluginKind.LAYER, spec.model().layers().get(i),
                    "model.layers[" + i + "]", errors));
        }
        ResolvedPlugin<OptimizerPlugin> optimizer =
                one(OptimizerPlugin.class, PluginKind.OPTIMIZER, spec.optimizer(), "optimizer", errors);
        ResolvedPlugin<SchedulePlugin> schedule =
                one(SchedulePlugin.class, PluginKind.SCHEDULE, spec.schedule(), "schedule", errors);
        List<ResolvedPlugin<AugmentationPlugin>> augment = new ArrayList<>();
        for (int i = 0; i < spec.augment().size(); i++) {
            augment.add(one(AugmentationPlugin.class, PluginKind.AUGMENTATION, spec.augment().get(i),
                    "augment[" + i + "]", errors));
        }
        if (errors.size() > before || optimizer == null || schedule == null) {
            return null;
        }
        ExperimentSpec resolved = spec.withPlugins(layers.stream().map(ResolvedPlugin::toRef).toList(),
                optimizer.toRef(), schedule.toRef(), augment.stream().map(ResolvedPlugin::toRef).toList());
        return new Experiment(resolved, layers, optimizer, schedule, augment);
    }

    private <T extends Plugin> ResolvedPlugin<T> one(Class<T> type, PluginKind kind, PluginRef ref, String path,
                                                     List<SpecError> errors) {
        if (ref == null) {
            return null; // the parser has reported why
        }
        T plugin;
        try {
            plugin = registry.require(type, kind, ref.type(), path + ".type");
        } catch (SpecException e) {
            errors.addAll(e.errors());
            return null;
        }
        Params params = Params.validate(plugin.params(), ref.params(), path, errors);
        return new ResolvedPlugin<>(plugin, params, path);
    }
}
