package dev.cnnworkbench.core.plugin;

/**
 * A loaded plugin and where it came from.
 *
 * @param plugin the instance shared by every run
 * @param source {@code "builtin"} or the file name of the jar it came from
 */
public record PluginInfo(Plugin plugin, String source) {

    public static final String BUILTIN = "builtin";
}
