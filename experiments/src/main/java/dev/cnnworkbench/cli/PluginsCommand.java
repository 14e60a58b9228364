package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.core.plugin.Plugin;
import dev.cnnworkbench.core.plugin.PluginInfo;
import dev.cnnworkbench.core.plugin.PluginKind;
import dev.cnnworkbench.web.api.PluginApi;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code workbench plugins}: every installed plugin with its parameter schema. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the installed layer, optimizer, schedule and augmentation plugins.")
final class PluginsCommand implements Callable<Integer> {

    enum Format { table, json }

    @Option(names = "--kind", paramLabel = "KIND", description = "only this kind: layer, optimizer, schedule, augmentation")
    String kind;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() {
        PluginKind only = kind == null ? null : PluginKind.fromLabel(kind);
        List<PluginInfo> plugins = home.plugins().all().stream()
                .filter(i -> only == null || i.plugin().kind() == only).toList();
        System.out.print(format == Format.json ? json(plugins) : table(plugins));
        return 0;
    }

    static String json(List<PluginInfo> plugins) {
        return PluginApi.describe(plugins).encodePrettily() + "\n";
    }

    static String table(List<PluginInfo> plugins) {
        StringBuilder sb = new StringBuilder();
        for (PluginInfo info : plugins) {
            Plugin p = info.plugin();
            String params = p.params().stream()
                    .map(s -> s.name() + (s.required() ? "" : "=" + s.defaultValue()))
                    .collect(Collectors.joining(", "));
            sb.append(String.format(Locale.ROOT, "%-12s %-14s %-8s %s%n", p.kind().label(), p.name(), info.source(), p.help()));
            if (!params.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "%-36s %s%n", "", params));
            }
        }
        return sb.toString();
    }
}
