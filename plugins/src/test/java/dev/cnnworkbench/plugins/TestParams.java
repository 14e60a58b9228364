package dev.cnnworkbench.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.Plugin;
import dev.cnnworkbench.core.spec.SpecError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parameters as the spec validator would hand them to a plugin. */
public final class TestParams {

    private TestParams() {
    }

    /** {@code raw} validated against {@code plugin}'s schema, defaults filled in; fails the test on any error. */
    public static Params of(Plugin plugin, Map<String, Object> raw) {
        List<SpecError> errors = new ArrayList<>();
        Params params = Params.validate(plugin.params(), raw, plugin.name(), errors);
        assertThat(errors).as("errors validating %s for %s", raw, plugin.name()).isEmpty();
        return params;
    }

    public static Params of(Plugin plugin) {
        return of(plugin, Map.of());
    }
}
