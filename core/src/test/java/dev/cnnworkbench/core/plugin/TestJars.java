package dev.cnnworkbench.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/** Small plugin jars built by a test: Java sources compiled against the test's class path, plus service files. */
final class TestJars {

    private TestJars() {
    }

    /**
     * Writes {@code jar} with the classes compiled from {@code sources} (class name to source text) and the service
     * files {@code services} (interface name to its lines).
     */
    static Path build(Path jar, Map<String, String> sources, Map<String, String> services) throws IOException {
        Path work = Files.createTempDirectory(jar.getParent(), "src");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none",
                "-cp", System.getProperty("java.class.path"), "-d", classes.toString()));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = work.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = ToolProvider.getSystemJavaCompiler().run(null, errors, errors, args.toArray(String[]::new));
        assertThat(code).as("javac: %s", errors.toString(StandardCharsets.UTF_8)).isZero();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            for (Map.Entry<String, String> service : services.entrySet()) {
                out.putNextEntry(new JarEntry("META-INF/services/" + service.getKey()));
                out.write((service.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The source of a layer plugin {@code pkg.cls} named {@code name} (a {@code "null"} name is Java's null). */
    static String layer(String pkg, String cls, String name) {
        return """
                package %s;
                import dev.cnnworkbench.core.engine.GraphAssembly;
                import dev.cnnworkbench.core.plugin.*;
                import java.util.List;
                public class %s implements LayerPlugin {
                    public String name() { return %s; }
                    public String help() { return "a test layer"; }
                    public List<ParamSpec> params() { return List.of(); }
                    public void addTo(GraphAssembly graph, Params params) { }
                }
                """.formatted(pkg, cls, name.equals("null") ? "null" : "\"" + name + "\"");
    }
}
