package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.cli.work.ServerRuns;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --auth} as the command wires it, with real training: a run and a sweep started over REST with a
 * personal API token train in the server process and are recorded as that user; a spec the plugins refuse is 400 with
 * its path; a second run while the one slot trains is 503.
 */
class ServeAuthIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SPEC = """
            {"name": "%s",
             "data": {"dataset": "fashion-mnist", "path": "/usr/share/datasets/fashion-mnist", "limit": %d, "test_limit": 200},
             "model": {"input": [1, 28, 28], "layers": [
               {"type": "conv2d", "filters": 4, "kernel": 3, "activation": "relu"},
               {"type": "maxpool", "kernel": 2, "stride": 2},
               {"type": "output", "units": 10, "loss": "softmax"}]},
             "optimizer": {"type": "adam", "lr": 0.003},
             "train": {"epochs": %d, "batch": 50, "validation": 0}%s}""";

    @TempDir
    Path home;

    private HttpResponse<String> post(String url, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(150))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject get(String url, String token) throws Exception {
        return new JsonObject(HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private JsonObject awaitRun(String base, String token, String id, Predicate<JsonObject> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (true) {
            JsonObject run = get(base + "api/runs/" + id, token);
            if (done.test(run) || System.nanoTime() > deadline) {
                return run;
            }
            Thread.sleep(250);
        }
    }

    @Test
    void runsAndSweepsStartedWithATokenTrainHereAsTheirUser() throws Exception {
        HomeOptions options = new HomeOptions();
        options.home = home;
        try (LocalStack stack = LocalStack.startOwner(options);
             ServerRuns runs = ServeCommand.launcher(stack, PluginRegistry.builtin(), 1)) {
            stack.accounts().add("alice", "alice's password".toCharArray(), false);
            String token = stack.accounts().newToken("alice", "test");
            String base = stack.serveDashboard("127.0.0.1", 0, PluginRegistry.builtin(), true, runs);

            HttpResponse<String> refused = post(base + "api/runs", "wb_not-a-token", String.format(SPEC, "x", 500, 1, ""));
            assertThat(refused.statusCode()).isEqualTo(401);

            HttpResponse<String> bad = post(base + "api/runs", token,
                    String.format(SPEC, "bad", 500, 1, "").replace("\"maxpool\"", "\"maxpoool\""));
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
            assertThat(new JsonObject(bad.body()).getString("path")).isEqualTo("model.layers[1].type");
            assertThat(new JsonObject(bad.body()).getString("error")).contains("maxpool");

            HttpResponse<String> started = post(base + "api/runs", token, String.format(SPEC, "from-rest", 3000, 2, ""));
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String id = new JsonObject(started.body()).getString("id");
            HttpResponse<String> busy = post(base + "api/runs", token, String.format(SPEC, "second", 500, 1, ""));
            assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
            assertThat(new JsonObject(busy.body()).getString("error")).contains("already trains 1 run");

            JsonObject run = awaitRun(base, token, id, r -> !"RUNNING".equals(r.getString("status")));
            assertThat(run.getString("status")).as(run.encode()).isEqualTo("FINISHED");
            assertThat(run.getString("user")).isEqualTo("alice");
            assertThat(run.getString("name")).startsWith("from-rest-"); // the spec names only its experiment
            assertThat(run.getJsonObject("metrics").getDouble("test_accuracy")).isGreaterThan(0.3);
            assertThat(run.getJsonArray("artifacts").stream().map(a -> ((JsonObject) a).getString("kind"))).contains("model");

            String sweep = String.format(SPEC, "web-sweep", 300, 1, ", \"sweep\": {\"method\": \"grid\", \"parallel\": 1,"
                    + " \"objective\": {\"metric\": \"test_accuracy\", \"direction\": \"max\"},"
                    + " \"params\": {\"optimizer.lr\": {\"choice\": [0.001, 0.003]}}}");
            HttpResponse<String> swept = post(base + "api/sweeps", token, sweep);
            assertThat(swept.statusCode()).as(swept.body()).isEqualTo(202);
            assertThat(new JsonObject(swept.body()).getString("id")).isEqualTo("web-sweep");
            assertThat(new JsonObject(swept.body()).getInteger("trials")).isEqualTo(2);
            HttpResponse<String> twice = post(base + "api/sweeps", token, sweep);
            assertThat(twice.statusCode()).isEqualTo(503);
            assertThat(new JsonObject(twice.body()).getString("error")).contains("already running");

            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            List<JsonObject> trials;
            do {
                Thread.sleep(500);
                trials = get(base + "api/runs", token).getJsonArray("runs").stream().map(JsonObject.class::cast)
                        .filter(r -> "web-sweep".equals(r.getString("experiment"))).toList();
            } while (System.nanoTime() < deadline
                    && (trials.size() < 2 || trials.stream().anyMatch(r -> "RUNNING".equals(r.getString("status")))));
            assertThat(trials).hasSize(2).allSatisfy(r -> {
                assertThat(r.getString("status")).isEqualTo("FINISHED");
                assertThat(r.getString("user")).isEqualTo("alice");
            });
        }
    }
}
