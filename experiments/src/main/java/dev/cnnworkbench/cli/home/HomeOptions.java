package dev.cnnworkbench.cli.home;

import dev.cnnworkbench.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where a command finds its data folder, database and plugin jars. Shared by every command. */
public final class HomeOptions {

    @Option(names = "--home", paramLabel = "DIR",
            description = "data folder (default: $WORKBENCH_HOME, else ./workbench-data)")
    public Path home;

    @Option(names = "--db", paramLabel = "URL",
            description = "database URL: jdbc:h2:tcp://HOST[:PORT]/NAME (a team's, e.g. jdbc:h2:tcp://host:9092/workbench),"
                    + " jdbc:h2:ssl://... or jdbc:h2:file:PATH; other forms and settings are refused (default: $WORKBENCH_DB,"
                    + " else the embedded database in the data folder)")
    public String db;

    @Option(names = "--plugins", paramLabel = "DIR", description = "extra folder of plugin jars (repeatable)")
    List<Path> pluginDirs = new ArrayList<>();

    /** The data folder. */
    public Path home() {
        if (home != null) {
            return home;
        }
        String env = System.getenv("WORKBENCH_HOME");
        return Path.of(env != null && !env.isBlank() ? env : "workbench-data");
    }

    /** The database URL given explicitly, or {@code null} for the embedded default. */
    String databaseUrl() {
        if (db != null) {
            return db;
        }
        String env = System.getenv("WORKBENCH_DB");
        return env != null && !env.isBlank() ? env : null;
    }

    /** The built-in plugins plus the jars in {@code HOME/plugins} and every {@code --plugins} folder. */
    public PluginRegistry plugins() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(home().resolve("plugins"));
        dirs.addAll(pluginDirs);
        PluginRegistry registry = PluginRegistry.load(dirs);
        registry.problems().forEach(p -> System.err.println("warning: plugin not loaded: " + p));
        return registry;
    }
}
