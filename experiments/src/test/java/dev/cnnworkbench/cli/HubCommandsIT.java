package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.cluster.ClusterKey;
import dev.cnnworkbench.cluster.ClusterMember;
import dev.cnnworkbench.cluster.ClusterOptions;
import dev.cnnworkbench.cluster.HubFile;
import dev.cnnworkbench.core.engine.NativeBackend;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.SanityCheckStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command while {@code serve} is up on the same home, each in a JVM of its own on 127.0.0.1: they join the
 * serve process (the home's hub) over the clustered, TLS event bus instead of exiting 4, and what they record shows in
 * serve's REST API. A process with another cluster key is refused.
 */
class HubCommandsIT {

    private static final String SPEC = "../experiments/lenet5-fashion.json";
    private static final List<String> TINY = List.of("train.epochs=1", "data.limit=200", "train.batch=50",
            "train.validation=100", "data.test_limit=100",
            "model.layers=[{\"type\": \"conv2d\", \"filters\": 4, \"kernel\": 5, \"activation\": \"relu\"},"
                    + " {\"type\": \"maxpool\", \"kernel\": 2, \"stride\": 2}, {\"type\": \"output\"}]");
    private static final String SWEEP = """
            {"name": "hub-sweep",
             "data": {"dataset": "fashion-mnist", "limit": 200, "test_limit": 100},
             "model": {"input": [1, 28, 28], "layers": [
                {"type": "conv2d", "filters": 4, "kernel": 5, "activation": "relu"},
                {"type": "maxpool", "kernel": 2, "stride": 2},
                {"type": "output", "units": 10, "loss": "softmax"}]},
             "optimizer": {"type": "adam", "lr": 0.001},
             "train": {"epochs": 1, "batch": 50, "seed": 5, "validation": 100},
             "sweep": {"method": "grid", "parallel": 1,
                       "objective": {"metric": "val_accuracy"},
                       "params": {"optimizer.lr": {"choice": [0.001, 0.003]}}}}
            """;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path home;

    private Process serve;
    private String url;

    /** The output (standard output and error) and exit code of one command. */
    private record Done(int code, String out) {
    }

    @BeforeEach
    void startServe() throws Exception {
        Path log = home.resolve("serve.log");
        serve = workbench(log, "serve", "--home", home.toString(), "--port", "0");
        long deadline = System.currentTimeMillis() + 180_000;
        while (!read(log).contains("Press Ctrl-C") && serve.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        Matcher m = Pattern.compile("Dashboard: (\\S+)").matcher(read(log));
        assertThat(m.find()).as("serve started; it said:%n%s", read(log)).isTrue();
        url = m.group(1);
        assertThat(read(log)).contains("Hub: 127.0.0.1:");
        assertThat(HubFile.read(home).command()).isEqualTo("workbench serve at " + url);
    }

    @AfterEach
    void stopServe() throws Exception {
        if (serve != null) {
            serve.destroy(); // SIGTERM: its shutdown hook removes hub.json and closes the database
            if (!serve.waitFor(60, TimeUnit.SECONDS)) {
                serve.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void everyCommandWorksThroughTheHubAndItsResultsShowInServe() throws Exception {
        List<String> run = new ArrayList<>(List.of("run", SPEC, "--home", home.toString(), "--set", "name=\"hub-run\""));
        TINY.forEach(s -> run.addAll(List.of("--set", s)));
        Done trained = cli(run);
        assertThat(trained.out()).contains("sending the runs of this process to it").contains("FINISHED");
        JsonObject listed = runsOfServe().stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("name").equals("hub-run")).findFirst().orElseThrow();
        assertThat(listed.getString("status")).isEqualTo("FINISHED");
        String runId = listed.getString("id");

        assertThat(cli(List.of("runs", "--home", home.toString(), "--format", "json")).out()).contains(runId, "hub-run");
        assertThat(cli(List.of("runs", "--home", home.toString(), "--filter", "name = 'hub-run'")).out()).contains(runId);
        Done badFilter = cli(2, List.of("runs", "--home", home.toString(), "--filter", "name = = 1"));
        assertThat(badFilter.out()).contains("error:");
        Done exported = cli(List.of("export", "--home", home.toString(), "--metrics", "train_loss",
                "--filter", "name = 'hub-run'"));
        assertThat(exported.out()).contains("run_id,run_name,metric,step").contains(runId + ",hub-run,train_loss,0,");

        Done resume = cli(2, List.of("resume", runId, "--home", home.toString()));
        assertThat(resume.out()).contains("run " + runId + " is FINISHED; only an INTERRUPTED run can be resumed");

        Path sweep = Files.writeString(home.resolve("hub-sweep.json"), SWEEP);
        Done swept = cli(List.of("sweep", sweep.toString(), "--home", home.toString()));
        assertThat(swept.out()).contains("sweep hub-sweep: 2 of 2 trials done")
                .contains("its trials go to the hub's work queue");
        assertThat(read(home.resolve("serve.log"))).as("serve's queue handed them out")
                .contains("trial 1 of hub-sweep) handed to worker", "trial 2 of hub-sweep) handed to worker");
        assertThat(get("api/sweeps")).contains("\"hub-sweep\"");
        assertThat(runsOfServe().stream().map(JsonObject.class::cast).filter(r -> "FINISHED".equals(r.getString("status"))
                && r.getString("name").startsWith("hub-sweep")).count()).isEqualTo(2);
        Done dry = cli(List.of("sweep", sweep.toString(), "--home", home.toString(), "--dry-run"));
        assertThat(dry.out()).contains("2 done");

        Done ensemble = cli(List.of("ensemble", "--sweep", sweep.toString(), "--top", "2", "--home", home.toString(),
                "--name", "hub-ensemble"));
        assertThat(ensemble.out()).contains("ensemble of 2").contains("recorded as run");
        assertThat(get("api/ensembles")).contains("hub-ensemble");

        List<String> check = new ArrayList<>(List.of("check", SPEC, "--home", home.toString(), "--only", "initial_loss"));
        TINY.forEach(s -> check.addAll(List.of("--set", s)));
        Done checked = cli(check);
        Matcher session = Pattern.compile("recorded as check session (\\S+) in the workbench serve at").matcher(checked.out());
        assertThat(session.find()).as(checked.out()).isTrue();

        stopServe();
        serve = null;
        assertThat(HubFile.path(home)).as("serve removed its hub file").doesNotExist();
        try (Database db = Database.openEmbedded(home)) {
            assertThat(new SanityCheckStore(db).read(session.group(1))).extracting(SanityCheckStore.Row::checkName)
                    .containsExactly("initial_loss");
        }
    }

    @Test
    void aProcessWithAnotherClusterKeyIsRefused() throws Exception {
        Path stranger = home.resolveSibling(home.getFileName() + "-stranger-key");
        ClusterKey other = ClusterKey.create(stranger);
        Done refused = cli(4, List.of("runs", "--home", home.toString()), Map.of(ClusterKey.ENV, stranger.toString()));
        assertThat(refused.out()).contains("speaks with another cluster key");
        // and on the wire: a member with that key is not taken into the hub's cluster
        HubFile hub = HubFile.read(home);
        assertThatThrownBy(() -> ClusterMember.start(ClusterOptions.joining(hub.join()), other, Duration.ofSeconds(90))
                .close()).isInstanceOf(IllegalStateException.class);
    }

    private JsonArray runsOfServe() throws Exception {
        String body = get("api/runs");
        return body.trim().startsWith("[") ? new JsonArray(body) : new JsonObject(body).getJsonArray("runs");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    private Done cli(List<String> args) throws Exception {
        return cli(0, args, Map.of());
    }

    private Done cli(int expected, List<String> args) throws Exception {
        return cli(expected, args, Map.of());
    }

    /** {@code workbench ARGS} in a JVM of its own; asserts its exit code. */
    private Done cli(int expected, List<String> args, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile(home, "cli-", ".log");
        ProcessBuilder builder = command(log, args.toArray(String[]::new));
        builder.environment().putAll(env);
        Process p = builder.start();
        assertThat(p.waitFor(400, TimeUnit.SECONDS)).as("%s ended; it said:%n%s", args, read(log)).isTrue();
        Done done = new Done(p.exitValue(), read(log));
        assertThat(done.code()).as("exit code of %s; it said:%n%s", args, done.out()).isEqualTo(expected);
        return done;
    }

    private Process workbench(Path log, String... args) throws IOException {
        return command(log, args).start();
    }

    private static ProcessBuilder command(Path log, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path")));
        String extension = System.getProperty(NativeBackend.PLATFORM_EXTENSION);
        if (extension != null) {
            command.add("-D" + NativeBackend.PLATFORM_EXTENSION + "=" + extension);
        }
        command.add(Workbench.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
