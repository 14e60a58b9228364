package dev.cnnworkbench.core.plugin;

/**
 * A plugin that could not be enabled: it failed to load, or its kind and name were already taken.
 *
 * @param source    {@code "builtin"} or the jar's file name
 * @param className the provider class named in the service file, when known
 * @param message   what went wrong
 */
public record PluginProblem(String source, String className, String message) {

    @Override
    public String toString() {
        return source + (className == null ? "" : " (" + className + ")") + ": " + message;
    }
}
