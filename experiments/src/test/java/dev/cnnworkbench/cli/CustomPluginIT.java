package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.PluginKind;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.SpecError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import picocli.CommandLine;

/**
 * A plugin as a user writes one: the example project in {@code plugins/examples/custom-layer} (its own pom, the
 * workbench SPI as a provided dependency) is built into a jar, dropped into a plugins folder, listed by
 * {@code workbench plugins}, gradient-checked, and trained in a tiny network by {@code workbench run}.
 */
class CustomPluginIT {

    private static final Path EXAMPLE = Path.of("../plugins/examples/custom-layer");
    private static final String JAR = "swish-layer-1.0.0.jar";
    private static final String SPEC = "src/test/resources/custom-plugin/swish-tiny.json";

    private static Path exampleJar;

    @TempDir
    static Path buildDir;

    @TempDir
    Path plugins;

    @TempDir
    Path home;

    /** Builds the example jar unless the one in its target folder is newer than every source. */
    @BeforeAll
    static void buildExample() throws Exception {
        Path built = EXAMPLE.resolve("target").resolve(JAR);
        if (Files.isRegularFile(built) && Files.getLastModifiedTime(built).compareTo(newestSource()) > 0) {
            exampleJar = built;
        } else if (onPath("mvn") && workbenchCoreInstalled()) {
            // The user's way: mvn in the example folder, resolving workbench-core from the local repository.
            Process mvn = new ProcessBuilder("mvn", "-o", "-q", "-B", "package", "-DskipTests",
                    "-Dnd4j.classifier=linux-x86_64" + PluginCommand.nd4jExtension())
                    .directory(EXAMPLE.toFile()).redirectErrorStream(true).start();
            String log = new String(mvn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(mvn.waitFor(5, TimeUnit.MINUTES)).as("mvn package finishes").isTrue();
            assertThat(mvn.exitValue()).as("mvn package in %s:%n%s", EXAMPLE, log).isZero();
            exampleJar = built;
        } else {
            // No mvn or no installed workbench-core (a fresh `./workbench test` only runs `mvn verify`): compile
            // the same sources against this build's class path and jar them with the same service file.
            exampleJar = compileExample(buildDir);
        }
        assertThat(exampleJar).isRegularFile();
    }

    private static FileTime newestSource() throws IOException {
        try (Stream<Path> files = Stream.concat(Stream.of(EXAMPLE.resolve("pom.xml")), Files.walk(EXAMPLE.resolve("src")))) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.getLastModifiedTime(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).max(FileTime::compareTo).orElseThrow();
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static boolean workbenchCoreInstalled() {
        Path repo = Path.of(System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        return Files.isRegularFile(repo.resolve(
                "dev/cnnworkbench/workbench-core/0.1.0-SNAPSHOT/workbench-core-0.1.0-SNAPSHOT.jar"));
    }

    private static Path compileExample(Path work) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none",
                "-cp", System.getProperty("java.class.path"), "-d", classes.toString()));
        try (Stream<Path> sources = Files.walk(EXAMPLE.resolve("src/main/java"))) {
            sources.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, errors, errors, args.toArray(String[]::new));
        assertThat(code).as("javac: %s", errors.toString(StandardCharsets.UTF_8)).isZero();
        Path jar = work.resolve(JAR);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Path root : List.of(classes, EXAMPLE.resolve("src/main/resources"))) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        out.putNextEntry(new JarEntry(root.relativize(f).toString().replace(File.separatorChar, '/')));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
            }
        }
        return jar;
    }

    private Path installJar() throws IOException {
        return Files.copy(exampleJar, plugins.resolve(JAR), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs the CLI in-process, capturing standard output and standard error. */
    private record Result(int exitCode, String out, String err) {
    }

    private static Result cli(CommandLine commandLine, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBuffer = new ByteArrayOutputStream();
        ByteArrayOutputStream errBuffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBuffer, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(errBuffer, err), true, StandardCharsets.UTF_8));
        try {
            int code = commandLine.execute(args);
            return new Result(code, outBuffer.toString(StandardCharsets.UTF_8), errBuffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static Result cli(String... args) {
        return cli(Workbench.commandLine(), args);
    }

    private static OutputStream tee(OutputStream a, OutputStream b) {
        return new OutputStream() {
            @Override
            public void write(int c) throws IOException {
                a.write(c);
                b.write(c);
            }

            @Override
            public void write(byte[] buf, int off, int len) throws IOException {
                a.write(buf, off, len);
                b.write(buf, off, len);
            }
        };
    }

    private static JsonObject plugin(JsonArray listed, String kind, String name) {
        return listed.stream().map(JsonObject.class::cast)
                .filter(p -> p.getString("kind").equals(kind) && p.getString("name").equals(name))
                .findFirst().orElse(null);
    }

    @Test
    void pluginsCommandListsTheCustomLayerWithItsJarAsSource() throws IOException {
        installJar();

        Result listed = cli("plugins", "--format", "json", "--plugins", plugins.toString(), "--home", home.toString());

        assertThat(listed.exitCode()).as(listed.err()).isZero();
        JsonObject swish = plugin(new JsonArray(listed.out()), "layer", "swish");
        assertThat(swish).as("swish in %s", listed.out()).isNotNull();
        assertThat(swish.getString("source")).isEqualTo(JAR);
        assertThat(swish.getString("version")).isEqualTo("1.0.0");
        JsonObject beta = swish.getJsonArray("params").getJsonObject(0);
        assertThat(beta.getString("name")).isEqualTo("beta");
        assertThat(beta.getDouble("default")).isEqualTo(1.0);
        assertThat(plugin(new JsonArray(listed.out()), "layer", "conv2d").getString("source")).isEqualTo("builtin");
        assertThat(listed.err()).doesNotContain("plugin not loaded");
    }

    @Test
    void theCustomLayersBackwardPassMatchesNumericalGradients() {
        PluginRegistry registry = PluginRegistry.load(List.of(copyQuietly()));
        LayerPlugin swish = registry.require(LayerPlugin.class, PluginKind.LAYER, "swish", "test");
        LayerPlugin conv = registry.require(LayerPlugin.class, PluginKind.LAYER, "conv2d", "test");
        LayerPlugin output = registry.require(LayerPlugin.class, PluginKind.LAYER, "output", "test");

        GraphBuilder builder = new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs(GraphAssembly.INPUT).setInputTypes(InputType.convolutional(5, 5, 2));
        GraphAssembly graph = GraphAssembly.over(builder, WeightInit.XAVIER.getWeightInitFunction(), 3);
        conv.addTo(graph, params(conv, Map.of("filters", 3, "kernel", 3)));
        swish.addTo(graph, params(swish, Map.of("beta", 1.5)));
        output.addTo(graph, params(output, Map.of()));
        builder.setOutputs(graph.head());
        ComputationGraph net = new ComputationGraph(builder.build());
        net.init();

        Nd4j.getRandom().setSeed(42);
        INDArray input = Nd4j.rand(DataType.DOUBLE, 4, 2, 5, 5).subi(0.5).muli(4);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        DataType savedDefault = Nd4j.dataType();
        DataType savedFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            // Central differences with step 1e-6; relative error at most 1e-3 unless the absolute error is < 1e-8.
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                    .net(net).inputs(new INDArray[] {input}).labels(new INDArray[] {labels})
                    .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertThat(ok).as("DL4J gradient check through the swish layer (failures are logged above)").isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(savedDefault, savedFloat);
        }
    }

    private Path copyQuietly() {
        try {
            installJar();
            return plugins;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Params params(LayerPlugin plugin, Map<String, Object> raw) {
        List<SpecError> errors = new ArrayList<>();
        Params p = Params.validate(plugin.params(), raw, plugin.name(), errors);
        assertThat(errors).isEmpty();
        return p;
    }

    @Test
    void tinyModelWithTheCustomLayerTrainsOneEpochFromThePluginsFolder() throws IOException {
        installJar();

        Result run = cli("run", SPEC, "--plugins", plugins.toString(), "--home", home.toString(),
                "--set", "data.limit=128", "--set", "train.validation=64", "--set", "data.test_limit=64");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("FINISHED").contains("test_accuracy");
        Result runs = cli("runs", "--format", "json", "--home", home.toString());
        JsonObject recorded = new JsonArray(runs.out()).getJsonObject(0);
        assertThat(recorded.getString("status")).isEqualTo("FINISHED");
        assertThat(recorded.getJsonObject("params").getString("model.layers[1].type")).isEqualTo("swish");

        // The summary sees the custom layer too: a parameter-free row with the volume of its input.
        Result summary = cli(new CommandLine(new SummaryCommand()), SPEC, "--format", "json",
                "--plugins", plugins.toString(), "--home", home.toString());
        assertThat(summary.exitCode()).as(summary.err()).isZero();
        JsonObject swishRow = new JsonObject(summary.out()).getJsonArray("layers").getJsonObject(1);
        assertThat(swishRow.getString("type")).isEqualTo("swish");
        assertThat(swishRow.getJsonArray("outputShape").stream().map(Number.class::cast).map(Number::longValue))
                .containsExactly(8L, 14L, 14L);
        assertThat(swishRow.getLong("params")).isZero();
    }

    /**
     * What a plugin trained loads again: a run with the swish layer killed after its first epoch resumes from its
     * checkpoint, it and a second run ensemble, and a third starts from its network (transfer learning). Each reads
     * a network file whose configuration names the jar's {@code SwishActivation}.
     */
    @Test
    void aRunWithTheCustomLayerResumesEnsemblesAndTransfers() throws Exception {
        installJar();
        List<String> small = List.of("--plugins", plugins.toString(), "--home", home.toString(),
                "--set", "data.limit=128", "--set", "train.validation=64", "--set", "data.test_limit=64");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Workbench.class.getName(), "run", SPEC,
                "--set", "train.epochs=5"));
        command.addAll(small);
        Process training = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> seen = new ArrayList<>();
        try (java.io.BufferedReader err = new java.io.BufferedReader(
                new java.io.InputStreamReader(training.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null && !line.startsWith("epoch 1/5:")) {
                seen.add(line);
            }
            assertThat(line).as("the first epoch ends; saw %s", seen).isNotNull();
            awaitFirstCheckpoint(home.resolve("artifacts")); // written once the store acknowledged the epoch
            training.destroyForcibly(); // SIGKILL after the first epoch's checkpoint, well before the fifth epoch
            assertThat(training.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        String first = new JsonArray(cli("runs", "--format", "json", "--home", home.toString()).out())
                .getJsonObject(0).getString("id");
        assertThat(status(first)).isEqualTo("INTERRUPTED");

        Result resumed = cli("resume", first, "--plugins", plugins.toString(), "--home", home.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("resuming from checkpoint-epoch-00");
        assertThat(status(first)).isEqualTo("FINISHED");

        List<String> run = new ArrayList<>(List.of("run", SPEC));
        run.addAll(small);
        Result second = cli(run.toArray(String[]::new));
        assertThat(second.exitCode()).as(second.err()).isZero();
        String other = new JsonArray(cli("runs", "--format", "json", "--home", home.toString()).out()).stream()
                .map(JsonObject.class::cast).map(r -> r.getString("id")).filter(id -> !id.equals(first))
                .findFirst().orElseThrow();

        Result ensemble = cli("ensemble", first, other, "--plugins", plugins.toString(), "--home", home.toString());
        assertThat(ensemble.exitCode()).as(ensemble.out() + ensemble.err()).isZero();
        assertThat(ensemble.err()).doesNotContain("refusing");

        run.addAll(List.of("--set", "model.init={\"from\": \"run:" + first + "\", \"freeze\": 1}"));
        Result transfer = cli(run.toArray(String[]::new));
        assertThat(transfer.exitCode()).as(transfer.out() + transfer.err()).isZero();
        assertThat(transfer.out()).contains("FINISHED");
    }

    private String status(String runId) {
        return new JsonArray(cli("runs", "--format", "json", "--home", home.toString()).out()).stream()
                .map(JsonObject.class::cast).filter(r -> r.getString("id").equals(runId))
                .map(r -> r.getString("status")).findFirst().orElseThrow();
    }

    @Test
    void brokenJarsAreReportedByJarNameWhileTheOthersStillLoad() throws IOException {
        installJar();
        // A jar whose service file names a class it does not contain, and a file that is not a jar at all.
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(plugins.resolve("broken-layer.jar")))) {
            out.putNextEntry(new JarEntry("META-INF/services/dev.cnnworkbench.core.plugin.LayerPlugin"));
            out.write("com.example.broken.MissingLayer\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Files.writeString(plugins.resolve("not-a-zip.jar"), "this is not a jar");

        Result listed = cli("plugins", "--format", "json", "--plugins", plugins.toString(), "--home", home.toString());

        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.err()).contains("plugin not loaded: broken-layer.jar (com.example.broken.MissingLayer)");
        JsonArray all = new JsonArray(listed.out());
        assertThat(plugin(all, "layer", "swish").getString("source")).isEqualTo(JAR);
        assertThat(plugin(all, "layer", "conv2d")).isNotNull();
        assertThat(plugin(all, "optimizer", "adam")).isNotNull();
    }

    /** Waits (up to a minute) until some run under {@code artifacts} has its first epoch checkpoint on disk. */
    private static void awaitFirstCheckpoint(Path artifacts) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(artifacts)) {
                try (var runs = Files.list(artifacts)) {
                    if (runs.anyMatch(run -> Files.isRegularFile(run.resolve("checkpoint-epoch-001.zip")))) {
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no first epoch checkpoint under " + artifacts + " within a minute");
    }
}
