package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin author's path as docs/writing-plugins.md writes it, on a fresh copy of the workbench's sources:
 * {@code workbench plugin api} installs the API, {@code workbench plugin new NAME --kind KIND} writes a project of each
 * kind, and Maven (offline) builds the four projects and runs their tests, which check each example against its
 * formula. About 3 minutes on a busy 2-core machine (one Maven run over the four projects).
 */
class PluginNewIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void theDocumentedCommandsGiveProjectsThatBuildAndPassTheirTestsOffline() throws Exception {
        Path fresh = freshCopy(work.resolve("workbench"));
        String saved = System.getProperty("workbench.repo");
        System.setProperty("workbench.repo", fresh.toString());
        try {
            InProcessCli.Result api = InProcessCli.run("plugin", "api", "--offline");
            assertThat(api.exitCode()).as(api.out() + api.err()).isZero();
            assertThat(api.out()).contains("installed the workbench API");
            assertThat(PluginCommand.Api.installed(PluginCommand.workbenchVersion(fresh))).isTrue();

            Path projects = Files.createDirectories(work.resolve("plugins"));
            List<String> kinds = List.of("layer:mish", "optimizer:lion", "schedule:one-cycle", "augmentation:random-erase");
            StringBuilder modules = new StringBuilder();
            for (String kindAndName : kinds) {
                String[] kn = kindAndName.split(":");
                InProcessCli.Result made = InProcessCli.run("plugin", "new", kn[1], "--kind", kn[0],
                        "--dir", projects.resolve(kn[1]).toString());
                assertThat(made.exitCode()).as(made.err()).isZero();
                modules.append("<module>").append(kn[1]).append("</module>");
            }
            assertThat(projects.resolve("lion/src/main/resources/META-INF/services/dev.cnnworkbench.core.plugin"
                    + ".OptimizerPlugin")).content().isEqualTo("com.example.workbench.lion.LionOptimizer\n");
            InProcessCli.Result taken = InProcessCli.run("plugin", "new", "mish", "--kind", "layer",
                    "--dir", projects.resolve("mish").toString());
            assertThat(taken.exitCode()).isEqualTo(2);
            assertThat(taken.err()).contains("already exists");

            // One Maven run over the four generated projects, as four `mvn package` would build them.
            Files.writeString(projects.resolve("pom.xml"), """
                    <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
                    <groupId>t</groupId><artifactId>all</artifactId><version>1</version><packaging>pom</packaging>
                    <modules>%s</modules></project>
                    """.formatted(modules));
            Process mvn = new ProcessBuilder("mvn", "-o", "-q", "-B", "package")
                    .directory(projects.toFile()).redirectErrorStream(true).start();
            String log = new String(mvn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(mvn.waitFor(10, TimeUnit.MINUTES)).isTrue();
            assertThat(mvn.exitValue()).as(log).isZero();
            for (String kindAndName : kinds) {
                String name = kindAndName.split(":")[1];
                assertThat(projects.resolve(name).resolve("target").resolve(name + "-1.0.0.jar")).isRegularFile();
                try (Stream<Path> reports = Files.list(projects.resolve(name).resolve("target/surefire-reports"))) {
                    assertThat(reports.filter(f -> f.toString().endsWith(".txt")).findFirst().map(PluginNewIT::read)
                            .orElseThrow()).contains("Failures: 0, Errors: 0").doesNotContain("Tests run: 0,");
                }
            }
        } finally {
            if (saved == null) {
                System.clearProperty("workbench.repo");
            } else {
                System.setProperty("workbench.repo", saved);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The parent pom, every module's pom and core's main sources: what a fresh clone has for the API. */
    private static Path freshCopy(Path to) throws IOException {
        Files.createDirectories(to);
        Files.copy(REPO.resolve("pom.xml"), to.resolve("pom.xml"));
        for (String module : List.of("core", "plugins", "storage", "web-ui", "experiments")) {
            Files.createDirectories(to.resolve(module));
            Files.copy(REPO.resolve(module).resolve("pom.xml"), to.resolve(module).resolve("pom.xml"));
        }
        Path src = REPO.resolve("core/src/main");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve("core/src/main").resolve(src.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return to;
    }
}
