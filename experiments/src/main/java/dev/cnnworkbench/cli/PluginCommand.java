package dev.cnnworkbench.cli;

import dev.cnnworkbench.core.plugin.PluginKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code workbench plugin new NAME --kind KIND [--dir DIR]} writes a standalone Maven project for a plugin (pom, the
 * plugin's classes, its service file, a test of it against its formula), and {@code workbench plugin api} installs
 * what that project builds against (the parent pom and {@code workbench-core}) into the local Maven repository. The
 * templates are the worked examples of docs/writing-plugins.md: Mish (layer), Lion (optimizer), one-cycle
 * (schedule), random erasing (augmentation).
 */
@Command(name = "plugin", mixinStandardHelpOptions = true,
        description = "Start a plugin of your own: a Maven project that builds and tests against this workbench's API.",
        subcommands = {PluginCommand.New.class, PluginCommand.Api.class})
final class PluginCommand implements Runnable {

    private static final String TEMPLATES = "plugin-templates/";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: new or api");
    }

    /** The workbench's source folder: where the launcher runs from, or the current folder. */
    static Path repo() {
        return Path.of(System.getProperty("workbench.repo", ".")).toAbsolutePath().normalize();
    }

    /** The version the repository's parent pom declares, which {@code plugin api} installs. */
    static String workbenchVersion(Path repo) {
        try {
            String pom = Files.readString(repo.resolve("pom.xml"));
            Matcher m = Pattern.compile("<artifactId>workbench-parent</artifactId>\\s*<version>([^<]+)</version>")
                    .matcher(pom);
            if (m.find()) {
                return m.group(1).trim();
            }
        } catch (IOException e) {
            // fall through: not run from the workbench's folder
        }
        throw new IllegalArgumentException("no workbench parent pom at " + repo.resolve("pom.xml")
                + "; run ./workbench from the workbench's folder");
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = "Write a Maven project for a new plugin: pom.xml, the plugin class, META-INF/services, a test.")
    static final class New implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "the plugin's name as a spec gives it, e.g. mish (a-z, 0-9, -)")
        String name;

        @Option(names = "--kind", required = true, paramLabel = "KIND",
                description = "layer, optimizer, schedule or augmentation")
        String kind;

        @Option(names = "--dir", paramLabel = "DIR", description = "where to write the project (default: ./NAME)")
        Path dir;

        @Option(names = "--no-api", negatable = false,
                description = "do not install the API into the local Maven repository when it is missing")
        boolean noApi;

        @Option(names = "--offline", negatable = false, description = "with the API step: Maven offline (-o)")
        boolean offline;

        @Override
        public Integer call() throws Exception {
            if (!NAME.matcher(name).matches()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "NAME must be lower-case letters, digits"
                        + " and single hyphens, starting with a letter (e.g. mish, random-erase), got '" + name + "'");
            }
            PluginKind pluginKind;
            try {
                pluginKind = PluginKind.fromLabel(kind);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--kind: " + e.getMessage());
            }
            Path target = dir != null ? dir : Path.of(name);
            if (Files.exists(target) && (!Files.isDirectory(target) || isNotEmpty(target))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--dir " + target
                        + " already exists and is not an empty folder; choose another");
            }
            Path repo = repo();
            String version = workbenchVersion(repo);
            for (Map.Entry<String, String> file : files(name, pluginKind, version).entrySet()) {
                Path path = target.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            System.out.println("wrote " + pluginKind.label() + " plugin '" + name + "' to " + target);
            if (!noApi && !Api.installed(version)) {
                System.out.println("the workbench API " + version + " is not in your local Maven repository; installing it");
                int code = Api.install(repo, offline);
                if (code != 0) {
                    return code;
                }
            }
            System.out.println("next: (cd " + target + " && mvn package) && cp " + target.resolve("target")
                    .resolve(name + "-1.0.0.jar") + " HOME/plugins/");
            return 0;
        }

        private static boolean isNotEmpty(Path folder) throws IOException {
            try (var entries = Files.list(folder)) {
                return entries.findAny().isPresent();
            }
        }
    }

    /**
     * The project's files, path to content: {@code NAME} becomes the plugin's name, its camel case the classes'
     * prefix, and {@code com.example.workbench.NAME} (without hyphens) their package.
     */
    static Map<String, String> files(String name, PluginKind kind, String workbenchVersion) {
        StringBuilder prefix = new StringBuilder();
        for (String part : name.split("-")) {
            prefix.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        String pkg = "com.example.workbench." + name.replace("-", "");
        String kindClass = Character.toUpperCase(kind.label().charAt(0)) + kind.label().substring(1);
        Map<String, String> vars = Map.of("__PACKAGE__", pkg, "__PREFIX__", prefix.toString(), "__NAME__", name,
                "__GROUP__", "com.example.workbench", "__ARTIFACT__", name, "__WORKBENCH_VERSION__", workbenchVersion,
                "__JUNIT_VERSION__", junitVersion(repo()),
                "__ND4J_CLASSIFIER__", "linux-x86_64" + nd4jExtension());
        String sources = pkg.replace('.', '/');
        Map<String, String> out = new LinkedHashMap<>();
        out.put("pom.xml", fill(template("pom.xml.tmpl"), vars));
        for (String base : templateNames(kind)) {
            String content = fill(template(kind.label() + "/" + base + ".java.tmpl"), vars);
            out.put(base.equals("Test")
                    ? "src/test/java/" + sources + "/" + prefix + kindClass + "Test.java"
                    : "src/main/java/" + sources + "/" + prefix + base + ".java", content);
        }
        out.put("src/main/resources/META-INF/services/dev.cnnworkbench.core.plugin." + kindClass + "Plugin",
                pkg + "." + prefix + kindClass + "\n");
        return out;
    }

    /** ND4J's native build in use: the launcher's choice, else JavaCPP's setting (tests), else AVX2. */
    static String nd4jExtension() {
        String launcher = System.getProperty("workbench.nd4j.extension");
        return launcher != null ? launcher : System.getProperty("org.bytedeco.javacpp.platform.extension", "-onednn-avx2");
    }

    private static List<String> templateNames(PluginKind kind) {
        List<String> names = new ArrayList<>();
        switch (kind) {
            case LAYER -> names.addAll(List.of("Layer", "Activation"));
            case OPTIMIZER -> names.addAll(List.of("Optimizer", "Updater"));
            case SCHEDULE -> names.addAll(List.of("Schedule", "Rate"));
            case AUGMENTATION -> names.add("Augmentation");
        }
        names.add("Test");
        return names;
    }

    private static String fill(String template, Map<String, String> vars) {
        String out = template;
        for (Map.Entry<String, String> v : vars.entrySet()) {
            out = out.replace(v.getKey(), v.getValue());
        }
        return out;
    }

    private static String template(String path) {
        try (InputStream in = PluginCommand.class.getResourceAsStream(TEMPLATES + path)) {
            if (in == null) {
                throw new IllegalStateException("template " + path + " is missing from the workbench jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JUnit version this workbench tests with (so the generated project resolves offline too). */
    private static String junitVersion(Path repo) {
        try {
            Matcher m = Pattern.compile("<junit.version>([^<]+)</junit.version>").matcher(Files.readString(
                    repo.resolve("pom.xml")));
            return m.find() ? m.group(1).trim() : "5.14.4";
        } catch (IOException e) {
            return "5.14.4";
        }
    }

    @Command(name = "api", mixinStandardHelpOptions = true,
            description = "Install the plugin API (the parent pom and workbench-core) into the local Maven repository.")
    static final class Api implements Callable<Integer> {

        @Option(names = "--offline", negatable = false, description = "Maven offline (-o)")
        boolean offline;

        @Override
        public Integer call() throws Exception {
            return install(repo(), offline);
        }

        /** Whether {@code workbench-core} of {@code version} is in the local Maven repository. */
        static boolean installed(String version) {
            Path local = Path.of(System.getProperty("maven.repo.local",
                    Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
            return Files.isRegularFile(local.resolve("dev/cnnworkbench/workbench-core/" + version
                    + "/workbench-core-" + version + ".jar"))
                    && Files.isRegularFile(local.resolve("dev/cnnworkbench/workbench-parent/" + version
                    + "/workbench-parent-" + version + ".pom"));
        }

        /** {@code mvn -N install} (the parent pom), then {@code mvn -pl core install -DskipTests}, in {@code repo}. */
        static int install(Path repo, boolean offline) throws IOException, InterruptedException {
            workbenchVersion(repo);
            for (List<String> step : List.of(List.of("-N", "install"), List.of("-pl", "core", "install", "-DskipTests"))) {
                // The native build of ND4J this machine uses, so an offline build finds it in the local repository.
                List<String> command = new ArrayList<>(List.of("mvn", "-q", "-B", "-Dnd4j.extension=" + nd4jExtension()));
                if (offline) {
                    command.add("-o");
                }
                String localRepo = System.getProperty("maven.repo.local");
                if (localRepo != null) {
                    command.add("-Dmaven.repo.local=" + localRepo);
                }
                command.addAll(step);
                System.err.println("in " + repo + ": " + String.join(" ", command));
                Process mvn;
                try {
                    mvn = new ProcessBuilder(command).directory(repo.toFile()).inheritIO().start();
                } catch (IOException e) {
                    System.err.println("error: cannot run mvn (" + e.getMessage() + "); install Maven 3.9+");
                    return 1;
                }
                int code = mvn.waitFor();
                if (code != 0) {
                    System.err.println("error: " + String.join(" ", command) + " failed with exit code " + code);
                    return 1;
                }
            }
            System.out.println("installed the workbench API (dev.cnnworkbench:workbench-core " + workbenchVersion(repo)
                    + ") into the local Maven repository");
            return 0;
        }
    }
}
