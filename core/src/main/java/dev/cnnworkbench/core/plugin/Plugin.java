package dev.cnnworkbench.core.plugin;

import java.util.List;

/**
 * What every plugin says about itself. Implementations are found with {@link java.util.ServiceLoader}
 * through the service file of their kind's interface ({@link LayerPlugin}, {@link OptimizerPlugin},
 * {@link SchedulePlugin}, {@link AugmentationPlugin}), need a public no-argument constructor, and must
 * be cheap to construct and stateless: one instance serves every run, from any thread.
 *
 * <p>New hooks are added as default methods, so a plugin compiled against an older SPI keeps working.
 */
public interface Plugin {

    /** The kind, fixed by the sub-interface. */
    PluginKind kind();

    /** The name a spec uses in its {@code "type"} field: lower case, unique within the kind. */
    String name();

    /** The plugin's own version, recorded with every run that uses it. */
    default String version() {
        return "1.0";
    }

    /** One line of help for {@code workbench plugins} and the dashboard. */
    String help();

    /** The parameters a spec may give, in display order. */
    List<ParamSpec> params();
}
