package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.cli.bench.WorkbenchProcess;
import dev.cnnworkbench.cli.home.ServerFile;
import dev.cnnworkbench.cluster.HubFile;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
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
 * A hub that dies while a worker trains one of its runs (SIGKILL, real JVMs on 127.0.0.1): the worker keeps training
 * and keeps the run's points; when a hub is back on the same home, at another of the addresses the worker was given
 * ({@code --join A,B}: a standby's), the worker's cluster merges with it and everything it kept goes there, so the
 * run ends FINISHED with its whole series, every step once. (Back at the same address is the same merge.)
 */
class HubRestartIT {

    static final String SPEC = """
            {"name": "outlives-its-hub",
             "data": {"dataset": "fashion-mnist", "limit": 1000, "test_limit": 100},
             "model": {"input": [1, 28, 28], "layers": [
                {"type": "conv2d", "filters": 4, "kernel": 5, "activation": "relu"},
                {"type": "maxpool", "kernel": 2, "stride": 2},
                {"type": "output", "units": 10, "loss": "softmax"}]},
             "optimizer": {"type": "adam", "lr": 0.001},
             "train": {"epochs": 8, "batch": 50, "seed": 5, "validation": 100}}
            """;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void aWorkersRunOutlivesItsHubAndEndsWholeInTheNextOne() throws Exception {
        Path home = dir.resolve("hub");
        Path spec = Files.writeString(dir.resolve("outlives.json"), SPEC);
        int firstPort;
        int standbyPort;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            firstPort = a.getLocalPort();
            standbyPort = b.getLocalPort();
        }
        WorkbenchProcess first = started(serve(home, firstPort));
        String join = HubFile.read(home).join();
        assertThat(join).endsWith(":" + firstPort);
        try (WorkbenchProcess worker = WorkbenchProcess.start(List.of("worker", "--join",
                join + "," + join.replace(":" + firstPort, ":" + standbyPort), "--home", dir.resolve("worker").toString(),
                "--key", home.resolve("cluster").toString()))) {
            worker.awaitLine(l -> l.contains("joined the hub"), Duration.ofSeconds(120));
            InProcessCli.Result queued = InProcessCli.run("run", spec.toString(), "--home", home.toString(), "--remote");
            assertThat(queued.exitCode()).as(queued.err()).isZero();
            Matcher m = Pattern.compile("run ([0-9a-f]{12}) queued on the hub").matcher(queued.out());
            assertThat(m.find()).as(queued.out()).isTrue();
            String id = m.group(1);
            Path firstCheckpoint = dir.resolve("worker").resolve("artifacts").resolve(id)
                    .resolve("checkpoint-epoch-001.zip");
            long trained = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!Files.exists(firstCheckpoint) && System.nanoTime() < trained) {
                Thread.sleep(100);
            }
            assertThat(firstCheckpoint).as(worker.stderr().toString()).exists();

            assertThat(firstCheckpoint.resolveSibling(RunArtifacts.MODEL_FILE)).as("still training").doesNotExist();
            first.kill();
            WorkbenchProcess second = started(serve(home, standbyPort));
            try {
                String base = ServerFile.read(home).url();
                long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
                String status = null;
                while (System.nanoTime() < deadline && !"FINISHED".equals(status)) {
                    Thread.sleep(500);
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/runs/" + id))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode() == 200 ? new JsonObject(r.body()).getString("status") : null;
                }
                assertThat(status).as("the run in the second hub; the worker said %s", worker.stderr())
                        .isEqualTo("FINISHED");
                assertThat(worker.stderr()).as("the worker's cluster merged with the second hub's")
                        .anyMatch(l -> l.contains("is merging"));
            } finally {
                ProcessHandle.of(second.pid()).ifPresent(ProcessHandle::destroy); // Ctrl-C: it closes the database
                second.waitFor(Duration.ofSeconds(60));
            }
            try (Database db = Database.openEmbedded(home)) {
                RunQueries queries = new RunQueries(db);
                assertThat(queries.run(id).orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
                List<Long> steps = queries.history(id, "train_loss").stream().map(MetricPoint::step).toList();
                assertThat(steps).as("every step once, in order").hasSize(8 * 20);
                for (int i = 0; i < steps.size(); i++) {
                    assertThat(steps.get(i)).as("step %d", i).isEqualTo(i);
                }
            }
        } finally {
            first.close();
        }
    }

    private static List<String> serve(Path home, int clusterPort) {
        return List.of("serve", "--home", home.toString(), "--port", "0", "--web-runs", "0", "--cluster-port",
                Integer.toString(clusterPort));
    }

    private static WorkbenchProcess started(List<String> serve) throws Exception {
        WorkbenchProcess p = WorkbenchProcess.start(serve);
        assertThat(p.awaitLine(l -> l.contains("Press Ctrl-C"), Duration.ofSeconds(180))).as(p.stderr().toString())
                .isNotNull();
        return p;
    }
}
