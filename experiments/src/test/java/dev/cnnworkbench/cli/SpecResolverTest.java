package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.SpecError;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.spec.SpecParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resolving specs against the real built-in plugins. */
class SpecResolverTest {

    private static final Path LENET = Path.of("../experiments/lenet5-fashion.json");
    private static final PluginRegistry PLUGINS = PluginRegistry.builtin();

    private static Experiment resolve(String... overrides) {
        return new SpecResolver(PLUGINS).resolve(new SpecParser().parseFile(LENET, List.of(overrides)));
    }

    private static List<SpecError> errors(String... overrides) {
        return catchThrowableOfType(SpecException.class, () -> resolve(overrides)).errors();
    }

    @Test
    void resolvesLenetAndRecordsEveryDefault() {
        Experiment e = resolve();
        assertThat(e.layers()).hasSize(6);
        assertThat(e.spec().model().layers().get(0).params())
                .containsEntry("filters", 20).containsEntry("kernel", List.of(5, 5))
                .containsEntry("stride", List.of(1, 1)).containsEntry("init", "model");
        assertThat(e.spec().optimizer().params()).containsEntry("beta1", 0.9).containsEntry("beta2", 0.999);
        assertThat(e.baseLearningRate()).isEqualTo(0.001);
        assertThat(e.pluginVersions()).containsKeys("layer/conv2d", "optimizer/adam", "schedule/constant");
    }

    @Test
    void rejectsZeroKernelWithLayerPath() {
        assertThat(errors("model.layers[2].kernel=0"))
                .containsExactly(new SpecError("model.layers[2].kernel", "must be >= 1, got 0"));
    }

    @Test
    void unknownLayerTypeListsNearMatches() {
        assertThat(errors("model.layers[0].type=\"conv2\"")).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("model.layers[0].type");
            assertThat(e.message()).isEqualTo("unknown layer 'conv2'; did you mean conv2d?");
        });
    }

    @Test
    void unknownOptimizerAndBadParamsAreAllReportedAtOnce() {
        assertThat(errors("optimizer.type=\"adamm\"", "model.layers[4].units=\"many\"", "model.layers[0].colour=1"))
                .extracting(SpecError::toString).containsExactlyInAnyOrder(
                        "optimizer.type: unknown optimizer 'adamm'; did you mean adam or adamw?",
                        "model.layers[4].units: must be a whole number, got \"many\"",
                        "model.layers[0].colour: unknown parameter, expected one of filters, kernel, stride, padding,"
                                + " dilation, activation, init");
    }

    @Test
    void rejectsWrongChoiceNamingTheChoices() {
        assertThat(errors("model.layers[5].loss=\"softmaxx\"")).singleElement()
                .extracting(SpecError::message).asString()
                .startsWith("must be one of softmax");
    }
}
