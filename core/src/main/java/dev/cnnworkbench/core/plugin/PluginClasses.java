package dev.cnnworkbench.core.plugin;

import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The classes that loaded plugin jars define, so that what a plugin put into a network (a DL4J layer, activation,
 * updater, schedule, vertex or pre-processor) can be named again when the network's JSON configuration is read back.
 * A jar's class loader is registered by {@link PluginRegistry} once at least one plugin of the jar is enabled; a jar
 * whose plugins were all refused provides nothing. Process-wide, because plugin class loaders live as long as the
 * process; thread-safe.
 *
 * <p>Nothing here loads a class to find out whether it is a plugin's: {@link #definedByPlugin} looks only for the
 * class file inside the registered jars, so a name that is not in one is never loaded through this class.
 */
public final class PluginClasses {

    /** Newest first: the registry loaded last is the one a process is using. */
    private static final List<URLClassLoader> LOADERS = new CopyOnWriteArrayList<>();
    private static final Pattern BINARY_NAME = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
            + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");
    private static final ClassLoader RESOLVER = new Resolver();

    private PluginClasses() {
    }

    private static final Map<ClassLoader, PluginJar> JARS = new ConcurrentHashMap<>();

    /**
     * A plugin jar, as a run's provenance records it.
     *
     * @param file   the jar's file name
     * @param sha256 the SHA-256 of its bytes when it was loaded, in hex
     */
    public record PluginJar(String file, String sha256) {
    }

    static void register(URLClassLoader loader, PluginJar jar) {
        if (!LOADERS.contains(loader)) {
            LOADERS.add(0, loader);
            JARS.put(loader, jar);
        }
    }

    /** The registered plugin jar that defined {@code type}; empty for a class of the workbench's own class path. */
    public static Optional<PluginJar> jarOf(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null ? Optional.empty() : Optional.ofNullable(JARS.get(loader));
    }

    /** Whether {@code className} is a well-formed binary name whose class file is inside a registered plugin jar. */
    public static boolean definedByPlugin(String className) {
        return loaderOf(className).isPresent();
    }

    /** Whether {@code type} was defined by the class loader of a registered plugin jar. */
    public static boolean isPluginClass(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader instanceof URLClassLoader && LOADERS.contains(loader);
    }

    /**
     * A class loader that loads what the workbench's own class path has, and otherwise a class defined inside a
     * registered plugin jar (through that jar's loader); any other name is not found.
     */
    public static ClassLoader resolver() {
        return RESOLVER;
    }

    private static Optional<URLClassLoader> loaderOf(String className) {
        if (className == null || !BINARY_NAME.matcher(className).matches()) {
            return Optional.empty();
        }
        String resource = className.replace('.', '/') + ".class";
        // findResource searches the jar's own URLs only, never its parent: a class path class is not a plugin's.
        return LOADERS.stream().filter(l -> l.findResource(resource) != null).findFirst();
    }

    private static final class Resolver extends ClassLoader {

        Resolver() {
            super("plugin-classes", PluginClasses.class.getClassLoader());
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            URLClassLoader loader = loaderOf(name).orElseThrow(() -> new ClassNotFoundException(name));
            return loader.loadClass(name);
        }
    }
}
