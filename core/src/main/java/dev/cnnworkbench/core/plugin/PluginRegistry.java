package dev.cnnworkbench.core.plugin;

import dev.cnnworkbench.core.spec.SpecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Every plugin the workbench can use: the built-in ones on the class path, then those in each jar of
 * the plugin folders, each jar through its own class loader. Discovery never throws: a provider that
 * fails to load, or that repeats a kind and name already taken, is recorded in {@link #problems()}
 * and the rest still load. Of two providers with the same kind and name the first found wins, and the other is
 * reported naming both: the built-in plugins are found first, then the jars folder by folder in the order given, and
 * within a folder by file name. Immutable once built; safe to share between threads.
 */
public final class PluginRegistry {

    private static final Map<PluginKind, Class<? extends Plugin>> SPI = Map.of(
            PluginKind.LAYER, LayerPlugin.class,
            PluginKind.OPTIMIZER, OptimizerPlugin.class,
            PluginKind.SCHEDULE, SchedulePlugin.class,
            PluginKind.AUGMENTATION, AugmentationPlugin.class);

    private final Map<String, PluginInfo> byKey = new LinkedHashMap<>();
    private final List<PluginProblem> problems = new ArrayList<>();

    private PluginRegistry() {
    }

    /** Loads the built-in plugins only. */
    public static PluginRegistry builtin() {
        return load(List.of());
    }

    /**
     * Loads the built-in plugins, then every {@code *.jar} directly inside each of {@code folders}
     * (a folder that does not exist is skipped).
     */
    public static PluginRegistry load(List<Path> folders) {
        PluginRegistry registry = new PluginRegistry();
        ClassLoader app = PluginRegistry.class.getClassLoader();
        registry.discover(app, PluginInfo.BUILTIN, app);
        for (Path folder : folders) {
            for (Path jar : jarsIn(folder, registry)) {
                registry.loadJar(jar, app);
            }
        }
        return registry;
    }

    private static List<Path> jarsIn(Path folder, PluginRegistry registry) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            registry.problems.add(new PluginProblem(folder.toString(), null, "cannot list folder: " + e.getMessage()));
            return List.of();
        }
    }

    private void loadJar(Path jar, ClassLoader parent) {
        String source = jar.getFileName().toString();
        URL url;
        try {
            url = jar.toUri().toURL();
        } catch (MalformedURLException e) {
            problems.add(new PluginProblem(source, null, "bad path: " + e.getMessage()));
            return;
        }
        try (java.util.jar.JarFile readable = new java.util.jar.JarFile(jar.toFile())) {
            readable.getManifest();
        } catch (IOException | SecurityException e) {
            // A class loader over a broken file finds nothing and says nothing; say it here.
            problems.add(new PluginProblem(source, null, "not a readable jar: " + e.getMessage()));
            return;
        }
        // The loader stays open for the life of the process: its classes back the registered plugins.
        @SuppressWarnings("resource")
        URLClassLoader loader = new URLClassLoader("plugin:" + source, new URL[] {url}, parent);
        int before = byKey.size();
        discover(loader, source, parent);
        if (byKey.size() > before) {
            PluginClasses.register(loader, new PluginClasses.PluginJar(source, sha256(jar)));
        }
    }

    /** Registers every provider that {@code loader} defines itself (not those it inherits from {@code inherited}). */
    private void discover(ClassLoader loader, String source, ClassLoader inherited) {
        for (Map.Entry<PluginKind, Class<? extends Plugin>> spi : SPI.entrySet()) {
            Iterator<? extends Plugin> it = ServiceLoader.load(spi.getValue(), loader).iterator();
            while (true) {
                Plugin plugin;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    plugin = it.next();
                } catch (ServiceConfigurationError | LinkageError e) {
                    problems.add(serviceProblem(source, spi.getValue(), e));
                    continue;
                }
                boolean own = loader == inherited || plugin.getClass().getClassLoader() == loader;
                if (own) {
                    register(plugin, source, spi.getKey());
                }
            }
        }
    }

    private void register(Plugin plugin, String source, PluginKind expected) {
        String className = plugin.getClass().getName();
        String name;
        try {
            String refusal = refusal(plugin, expected);
            if (refusal != null) {
                problems.add(new PluginProblem(source, className, refusal));
                return;
            }
            name = plugin.name();
        } catch (RuntimeException | LinkageError e) {
            problems.add(new PluginProblem(source, className, describe(e)));
            return;
        }
        String key = key(expected, name);
        PluginInfo existing = byKey.get(key);
        if (existing != null) {
            // The first one found wins: built-in plugins are found before any jar, jars in folder order, and within
            // a folder by file name; say which, naming both.
            problems.add(new PluginProblem(source, className, article(expected) + " plugin named '" + name
                    + "' is already provided by " + existing.source() + " (" + existing.plugin().getClass().getName()
                    + "), which wins; this one is ignored"));
            return;
        }
        byKey.put(key, new PluginInfo(plugin, source));
    }

    /** Why {@code plugin} cannot be enabled as a provider of {@code expected}, or {@code null} when it can. */
    private static String refusal(Plugin plugin, PluginKind expected) {
        if (plugin.kind() != expected) {
            return "declares kind " + (plugin.kind() == null ? "null" : plugin.kind().label()) + " but is listed as "
                    + article(expected) + " provider";
        }
        String name = plugin.name();
        if (name == null || name.isBlank()) {
            return "name() returned " + (name == null ? "null" : "a blank name") + "; a plugin needs the name a spec uses";
        }
        for (String[] said : new String[][] {{"version()", plugin.version()}, {"help()", plugin.help()}}) {
            if (said[1] == null) {
                return said[0] + " returned null";
            }
        }
        List<ParamSpec> params = plugin.params();
        if (params == null || params.stream().anyMatch(java.util.Objects::isNull)) {
            return "params() returned " + (params == null ? "null" : "a list with null in it");
        }
        return null;
    }

    /** "a layer", "an optimizer", "an augmentation". */
    private static String article(PluginKind kind) {
        return ("aeiou".indexOf(kind.label().charAt(0)) >= 0 ? "an " : "a ") + kind.label();
    }

    private static String sha256(Path jar) {
        try (InputStream in = Files.newInputStream(jar)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static String key(PluginKind kind, String name) {
        return kind.label() + ":" + name;
    }

    private static PluginProblem serviceProblem(String source, Class<? extends Plugin> spi, Throwable e) {
        String msg = String.valueOf(e.getMessage());
        String notSubtype = " not a subtype";
        if (e instanceof ServiceConfigurationError && msg.endsWith(notSubtype) && msg.startsWith(spi.getName() + ": ")) {
            String className = msg.substring(spi.getName().length() + 2, msg.length() - notSubtype.length());
            return new PluginProblem(source, className, "does not implement " + spi.getName());
        }
        return new PluginProblem(source, providerName(e), describe(e));
    }

    private static String providerName(Throwable e) {
        String msg = String.valueOf(e.getMessage());
        int at = msg.indexOf("Provider ");
        if (at >= 0) {
            String rest = msg.substring(at + "Provider ".length());
            int end = rest.indexOf(' ');
            return end > 0 ? rest.substring(0, end) : rest;
        }
        return null;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e ? msg : msg + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    /** Every enabled plugin, ordered by kind then name. */
    public List<PluginInfo> all() {
        return byKey.values().stream()
                .sorted(Comparator.comparing((PluginInfo i) -> i.plugin().kind()).thenComparing(i -> i.plugin().name()))
                .toList();
    }

    /** Providers that were found but not enabled, in discovery order. */
    public List<PluginProblem> problems() {
        return List.copyOf(problems);
    }

    public Optional<PluginInfo> find(PluginKind kind, String name) {
        return Optional.ofNullable(byKey.get(key(kind, name)));
    }

    /**
     * The plugin of {@code kind} named {@code name}, as {@code type}; otherwise a {@link SpecException}
     * at {@code path} that lists the near matches.
     */
    public <T extends Plugin> T require(Class<T> type, PluginKind kind, String name, String path) {
        PluginInfo info = byKey.get(key(kind, name));
        if (info == null) {
            throw new SpecException(path, "unknown " + kind.label() + " '" + name + "'" + suggestions(kind, name));
        }
        return type.cast(info.plugin());
    }

    private String suggestions(PluginKind kind, String name) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        List<String> names = byKey.values().stream().map(PluginInfo::plugin)
                .filter(p -> p.kind() == kind).map(Plugin::name).sorted().toList();
        List<String> near = names.stream()
                .filter(n -> distance.apply(n, name) <= Math.max(2, name.length() / 3)
                        || n.contains(name) || name.contains(n))
                .sorted(Comparator.comparingInt(n -> distance.apply(n, name)))
                .toList();
        if (!near.isEmpty()) {
            return "; did you mean " + String.join(" or ", near) + "?";
        }
        return names.isEmpty() ? "; no " + kind.label() + " plugins are installed" : "; known: " + String.join(", ", names);
    }
}
