package dev.cnnworkbench.core.experiment;

import dev.cnnworkbench.core.plugin.AugmentationPlugin;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.OptimizerPlugin;
import dev.cnnworkbench.core.plugin.PluginClasses;
import dev.cnnworkbench.core.plugin.SchedulePlugin;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A spec whose plugins are found and whose parameters are valid: ready to build and train.
 *
 * @param spec the resolved spec, every default filled in; this is what a run records
 */
public record Experiment(ExperimentSpec spec, List<ResolvedPlugin<LayerPlugin>> layers,
                         ResolvedPlugin<OptimizerPlugin> optimizer, ResolvedPlugin<SchedulePlugin> schedule,
                         List<ResolvedPlugin<AugmentationPlugin>> augment) {

    public Experiment {
        layers = List.copyOf(layers);
        augment = List.copyOf(augment);
    }

    /** The base learning rate the optimizer was given. */
    public double baseLearningRate() {
        return optimizer.plugin().learningRate(optimizer.params());
    }

    /** {@code kind/name -> jar} of every plugin the experiment uses that came from a plugin jar, for provenance. */
    public Map<String, PluginClasses.PluginJar> pluginJars() {
        Map<String, PluginClasses.PluginJar> out = new LinkedHashMap<>();
        Stream.concat(Stream.concat(layers.stream(), augment.stream()), Stream.of(optimizer, schedule))
                .map(ResolvedPlugin::plugin)
                .forEach(p -> PluginClasses.jarOf(p.getClass()).ifPresent(j -> out.put(p.kind().label() + "/" + p.name(), j)));
        return out;
    }

    /** {@code kind/name -> version} of every plugin the experiment uses, for provenance. */
    public Map<String, String> pluginVersions() {
        Map<String, String> out = new LinkedHashMap<>();
        Stream.concat(Stream.concat(layers.stream(), augment.stream()), Stream.of(optimizer, schedule))
                .map(ResolvedPlugin::plugin)
                .forEach(p -> out.put(p.kind().label() + "/" + p.name(), p.version()));
        return out;
    }
}
