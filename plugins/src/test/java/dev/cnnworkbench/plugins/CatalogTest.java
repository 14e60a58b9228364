package dev.cnnworkbench.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.PluginInfo;
import dev.cnnworkbench.core.plugin.PluginKind;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.SpecError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in catalog as the registry finds it through META-INF/services. */
class CatalogTest {

    private static List<String> names(PluginRegistry registry, PluginKind kind) {
        return registry.all().stream().map(PluginInfo::plugin).filter(p -> p.kind() == kind)
                .map(p -> p.name()).toList();
    }

    @Test
    void registryFindsEveryBuiltinPluginWithoutProblems() {
        PluginRegistry registry = PluginRegistry.builtin();
        assertThat(registry.problems()).isEmpty();
        assertThat(names(registry, PluginKind.LAYER)).containsExactlyInAnyOrder("conv2d", "maxpool", "avgpool",
                "globalavgpool", "dense", "activation", "dropout", "batchnorm", "layernorm", "flatten", "residual",
                "output");
        assertThat(names(registry, PluginKind.OPTIMIZER)).containsExactlyInAnyOrder("sgd", "momentum", "nesterov",
                "adagrad", "rmsprop", "adam", "adamw");
        assertThat(names(registry, PluginKind.SCHEDULE)).containsExactlyInAnyOrder("constant", "step",
                "exponential", "inverse-time", "inverse-sqrt", "linear", "cosine", "warmup", "sgdr", "snapshot");
        assertThat(names(registry, PluginKind.AUGMENTATION)).containsExactlyInAnyOrder("hflip", "crop",
                "scale-crop", "rotate", "translate", "jitter", "noise", "cutout", "mixup");
    }

    @Test
    void everyDefaultPassesItsOwnSchemaAndEveryParameterHasHelp() {
        for (PluginInfo info : PluginRegistry.builtin().all()) {
            var plugin = info.plugin();
            assertThat(plugin.help()).as(plugin.name()).isNotBlank();
            Map<String, Object> required = new LinkedHashMap<>();
            for (ParamSpec p : plugin.params()) {
                assertThat(p.help()).as(plugin.name() + "." + p.name()).isNotBlank();
                if (p.required()) {
                    required.put(p.name(), switch (p.type()) {
                        case STRING -> p.choices().isEmpty() ? "x" : p.choices().get(0);
                        case INT, NUMBER, INT_PAIR -> 4;
                        case BOOLEAN -> true;
                        case INT_LIST, NUMBER_LIST -> List.of(4);
                    });
                }
            }
            assertThat(plugin.params().stream().map(ParamSpec::name)).as(plugin.name()).doesNotHaveDuplicates();
            List<SpecError> errors = new ArrayList<>();
            Params.validate(plugin.params(), required, plugin.name(), errors);
            assertThat(errors).as(plugin.name()).isEmpty();
        }
    }
}
