package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.engine.NativeBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up archive as the launcher uses it, on the packaged jar: the first run that trains saves the classes it
 * loaded without touching its standard output, and a later command maps the archive ({@code -Xshare:on} makes the
 * JVM refuse to start when it cannot); a run that fails saves nothing.
 */
class StartupArchiveIT {

    /** The options {@code ./workbench} adds while the archive is missing. */
    private static List<String> recording(Path archive) {
        return List.of("-XX:+RecordDynamicDumpInfo", "-Xlog:cds=off,cds+dynamic=off",
                "-D" + StartupArchive.PROPERTY + "=" + archive);
    }

    @TempDir
    Path dir;

    @Test
    void theFirstRunThatTrainsSavesAnArchiveThatLaterCommandsMap() throws Exception {
        Path archive = dir.resolve("workbench-cds.jsa");
        Path home = dir.resolve("home");
        Result run = workbench(recording(archive), "run", "../experiments/lenet5-fashion.json", "--home",
                home.toString(), "--set", "train.epochs=1", "--set", "data.limit=256", "--set", "train.validation=100",
                "--set", "data.test_limit=100");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("saving the classes this run loaded to " + archive).doesNotContain("note:");
        assertThat(run.out()).as("standard output stays the run's").contains("FINISHED").doesNotContain("dump");
        assertThat(archive).isNotEmptyFile();
        try (var parts = Files.list(dir)) {
            assertThat(parts.map(p -> p.getFileName().toString())).as("no part file left")
                    .containsExactlyInAnyOrder("workbench-cds.jsa", "home");
        }

        Result runs = workbench(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive,
                "-Xlog:cds=off,cds+dynamic=off"), "runs", "--home", home.toString());
        assertThat(runs.exit()).as("the JVM maps the archive: %s", runs.err()).isZero();
        assertThat(runs.out()).contains("FINISHED");
    }

    @Test
    void aRunThatFailsSavesNothing() throws Exception {
        Path archive = dir.resolve("workbench-cds.jsa");
        Path spec = Files.writeString(dir.resolve("broken.json"), "{\"name\": \"x\"");
        Result run = workbench(recording(archive), "run", spec.toString(), "--home", dir.resolve("home").toString());
        assertThat(run.exit()).isNotZero();
        assertThat(archive).doesNotExist();
    }

    private record Result(int exit, String out, String err) {
    }

    /** {@code java OPTIONS -jar target/workbench.jar ARGS}, as the launcher runs it, to its end. */
    private Result workbench(List<String> options, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(options);
        String extension = System.getProperty(NativeBackend.PLATFORM_EXTENSION);
        if (extension != null) {
            command.add("-D" + NativeBackend.PLATFORM_EXTENSION + "=" + extension);
        }
        command.addAll(List.of("-jar", Path.of("target", "workbench.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the command ends").isTrue();
        Result result = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return result;
    }
}
