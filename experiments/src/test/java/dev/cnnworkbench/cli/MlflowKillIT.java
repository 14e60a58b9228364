package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.cli.bench.WorkbenchProcess;
import dev.cnnworkbench.cli.home.ServerFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a 200 to MLflow's log-metric promises, from outside: a real {@code serve} answers 600 log-metric calls and is
 * killed with SIGKILL right after the last reply (well within the storage's 200 ms batch); the next {@code serve} of the
 * home has every answered point, each once, with its value and timestamp.
 */
class MlflowKillIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int CALLS = 600;

    @TempDir
    Path home;

    @Test
    void everyLogMetricAnsweredBeforeAKillNineIsStoredAfterTheRestart() throws Exception {
        String run;
        try (WorkbenchProcess serve = WorkbenchProcess.start(List.of("serve", "--home", home.toString(), "--port", "0"))) {
            String url = awaitServer(serve, -1);
            run = new JsonObject(post(url, "runs/create", new JsonObject().put("experiment_id", "0")
                    .put("run_name", "killed-while-logging"))).getJsonObject("run").getJsonObject("info")
                    .getString("run_id");
            for (int step = 0; step < CALLS; step++) {
                post(url, "runs/log-metric", new JsonObject().put("run_id", run).put("key", "loss")
                        .put("value", 1.0 / (step + 1)).put("timestamp", 1_700_000_000_000L + step).put("step", step));
            }
            assertThat(serve.kill()).as("SIGKILL: no shutdown hook runs, nothing is flushed").isEqualTo(137);
        }

        try (WorkbenchProcess serve = WorkbenchProcess.start(List.of("serve", "--home", home.toString(), "--port", "0"))) {
            String url = awaitServer(serve, serve.pid());
            JsonArray history = new JsonArray();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) { // the journal is written back just after the start
                history = new JsonObject(post(url, "metrics/get-history", new JsonObject().put("run_id", run)
                        .put("metric_key", "loss"))).getJsonArray("metrics", new JsonArray());
                if (history.size() >= CALLS) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(history.size()).as("every answered point, each once").isEqualTo(CALLS);
            for (int step = 0; step < CALLS; step++) {
                JsonObject m = history.getJsonObject(step);
                assertThat(m.getLong("step")).isEqualTo(step);
                assertThat(m.getDouble("value")).isEqualTo(1.0 / (step + 1));
                assertThat(m.getLong("timestamp")).isEqualTo(1_700_000_000_000L + step);
            }
        }
    }

    /** The server's URL once its server.json names process {@code pid} (any process when -1). */
    private String awaitServer(WorkbenchProcess serve, long pid) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline && serve.isAlive()) {
            if (Files.exists(ServerFile.path(home))) {
                try {
                    ServerFile file = ServerFile.read(home);
                    if (pid == -1 || file.pid() == pid) {
                        return file.url();
                    }
                } catch (java.io.IOException e) {
                    // being written
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("serve did not start; it said " + serve.stderr());
    }

    private static String post(String url, String path, JsonObject body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "api/2.0/mlflow/" + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
