package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.cli.bench.WorkbenchProcess;
import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.cli.work.ServerRuns;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.engine.BusSink;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.StoredArtifact;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served hub and a worker on another home (a real {@code workbench worker} JVM joining with the hub's key): with
 * {@code --web-runs 0} the hub trains nothing itself; {@code run --remote} and the dashboard's {@code POST /api/runs}
 * queue runs that the worker trains, recorded in the hub's store with their files in the hub's home, and
 * {@code GET /api/workers} lists the worker.
 */
class ServeWorkersIT {

    static final String SPEC = """
            {"name": "remote-run",
             "data": {"dataset": "fashion-mnist", "limit": 200, "test_limit": 100},
             "model": {"input": [1, 28, 28], "layers": [
                {"type": "conv2d", "filters": 4, "kernel": 5, "activation": "relu"},
                {"type": "maxpool", "kernel": 2, "stride": 2},
                {"type": "output", "units": 10, "loss": "softmax"}]},
             "optimizer": {"type": "adam", "lr": 0.001},
             "train": {"epochs": 1, "batch": 50, "seed": 5, "validation": 50}}
            """;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void queuedRunsFromTheCommandLineAndTheDashboardTrainOnTheWorkerIntoTheHub() throws Exception {
        Path home = dir.resolve("hub");
        Path spec = dir.resolve("remote-run.json");
        Files.writeString(spec, SPEC);
        HomeOptions options = new HomeOptions();
        options.home = home;
        try (LocalStack stack = LocalStack.startOwner(options);
             ServerRuns runs = ServeCommand.launcher(stack, PluginRegistry.builtin(), 0)) {
            String base = stack.serveDashboard("127.0.0.1", 0, PluginRegistry.builtin(), false, runs);
            HttpResponse<String> refused = post(base, SPEC);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("no worker has joined");

            try (WorkbenchProcess worker = WorkbenchProcess.start(List.of("worker", "--join",
                    stack.joinAddress().orElseThrow(), "--home", dir.resolve("worker").toString(), "--key",
                    home.resolve("cluster").toString()))) {
                worker.awaitLine(l -> l.contains("joined the hub"), Duration.ofSeconds(120));

                InProcessCli.Result queued = InProcessCli.run("run", spec.toString(), "--home", home.toString(),
                        "--remote");
                assertThat(queued.exitCode()).as(queued.err()).isZero();
                Matcher m = Pattern.compile("run ([0-9a-f]{12}) queued on the hub").matcher(queued.out());
                assertThat(m.find()).as(queued.out()).isTrue();
                String fromCli = m.group(1);

                HttpResponse<String> posted = post(base, SPEC);
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
                String fromWeb = new JsonObject(posted.body()).getString("id");

                RunQueries queries = stack.queries();
                for (String id : List.of(fromCli, fromWeb)) {
                    RunSummary run = awaitEnd(queries, id, worker);
                    assertThat(run.status()).as(worker.stderr().toString()).isEqualTo(RunStatus.FINISHED);
                    assertThat(run.host()).isNotBlank();
                    StoredArtifact model = queries.artifacts(id).stream().filter(a -> a.kind().equals("model"))
                            .findFirst().orElseThrow();
                    Path onHub = home.resolve("artifacts").resolve(model.path());
                    assertThat(BusSink.sha256(onHub)).isEqualTo(model.sha256());
                    assertThat(dir.resolve("worker").resolve("artifacts").resolve(id)).isDirectory();
                }
                JsonObject workers = new JsonObject(HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/workers"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body());
                assertThat(workers.getJsonArray("workers")).hasSize(1);
            }
        }
    }

    private static HttpResponse<String> post(String base, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/runs")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static RunSummary awaitEnd(RunQueries queries, String id, WorkbenchProcess worker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            var run = queries.run(id);
            if (run.isPresent() && run.get().status() != RunStatus.RUNNING) {
                return run.get();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("run " + id + " did not end; the worker said " + worker.stderr());
    }
}
