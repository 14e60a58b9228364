package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.spec.SpecParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The run page's "run again" posts a run's stored (resolved) spec back: it must parse and resolve to the same spec,
 * for every run spec the repository ships.
 */
class StoredSpecRoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {"lenet5-fashion.json", "snapshot-ensemble.json", "zoo/alexnet.json", "zoo/lenet5-1998.json",
        "zoo/lenet5-20-50-500.json", "zoo/resnet18.json", "zoo/vgg16.json"})
    void aStoredSpecIsAcceptedBackAsItIs(String file) {
        SpecResolver resolver = new SpecResolver(PluginRegistry.builtin());
        Experiment first = resolver.resolve(new SpecParser().parseFile(Path.of("../experiments", file), List.of()));
        String stored = SpecJson.write(first.spec());
        Experiment again = resolver.resolve(new SpecParser().parse(SpecJson.readTree(stored, "stored"), List.of(), "x"));
        assertThat(again.spec()).isEqualTo(first.spec());
        assertThat(SpecJson.write(again.spec())).isEqualTo(stored);
    }
}
