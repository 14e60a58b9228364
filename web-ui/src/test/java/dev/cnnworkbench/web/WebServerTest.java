package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API against a real server on a free port and a real H2, runs written through the bus. */
class WebServerTest {

    @TempDir
    static Path home;
    static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(home);
        stack.startRun("run-a", "adam-lr3", Map.of("optimizer.type", "adam", "optimizer.lr", 0.003));
        stack.metrics("run-a", "train_loss", 0, 50, s -> 2.0 / (1 + s));
        stack.metrics("run-a", "val_loss", 9, 10, s -> 0.9);
        stack.endRun("run-a", RunStatus.FINISHED, null);
        stack.startRun("run-b", "sgd-diverged", Map.of("optimizer.type", "sgd", "optimizer.lr", 3.0));
        stack.metrics("run-b", "train_loss", 0, 5000, s -> s == 4000 ? Double.NaN : 1.0 + Math.sin(s / 50.0));
        stack.endRun("run-b", RunStatus.FAILED, "loss became NaN at step 4000");
        stack.flush();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static JsonObject json(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return new JsonObject(response.body());
    }

    @Test
    void listsRunsWithStatusParamsAndLatestMetrics() throws Exception {
        HttpResponse<String> response = stack.get("/api/runs");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray runs = json(response).getJsonArray("runs");
        assertThat(runs).hasSize(2);
        JsonObject a = runs.stream().map(JsonObject.class::cast).filter(r -> r.getString("id").equals("run-a")).findFirst().orElseThrow();
        assertThat(a.getString("name")).isEqualTo("adam-lr3");
        assertThat(a.getString("status")).isEqualTo("FINISHED");
        assertThat(a.getJsonObject("params").getDouble("optimizer.lr")).isEqualTo(0.003);
        assertThat(a.getJsonObject("metrics").getDouble("train_loss")).isEqualTo(2.0 / 50);
        assertThat(a.getLong("startedAt")).isPositive();
    }

    @Test
    void returnsOneRunWithSpecProvenanceAndError() throws Exception {
        JsonObject b = json(stack.get("/api/runs/run-b"));
        assertThat(b.getString("status")).isEqualTo("FAILED");
        assertThat(b.getString("error")).isEqualTo("loss became NaN at step 4000");
        assertThat(b.getJsonObject("spec").getJsonObject("optimizer").getString("type")).isEqualTo("adam");
        assertThat(b.getJsonObject("provenance").getString("backend")).isEqualTo("cpu");
        assertThat(b.getJsonArray("warnings")).isEmpty();
        assertThat(b.getJsonArray("artifacts")).isEmpty();
    }

    @Test
    void answersAnUnknownRunWith404AndAJsonMessage() throws Exception {
        HttpResponse<String> response = stack.get("/api/runs/no-such-run");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).getString("error")).isEqualTo("no run with id 'no-such-run'");
    }

    @Test
    void refusesAMalformedRunIdWith400() throws Exception {
        HttpResponse<String> response = stack.get("/api/runs/%3Cscript%3E");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).getString("error")).startsWith("not a run id");
        assertThat(response.body()).doesNotContain("<script>");
    }

    @Test
    void returnsTheNamedMetricsOfOneRunAsColumns() throws Exception {
        JsonObject body = json(stack.get("/api/runs/run-a/metrics?names=train_loss,val_loss"));
        JsonObject loss = body.getJsonObject("metrics").getJsonObject("train_loss");
        assertThat(loss.getJsonArray("step")).hasSize(50);
        assertThat(loss.getJsonArray("step").getLong(49)).isEqualTo(49);
        assertThat(loss.getJsonArray("value").getDouble(0)).isEqualTo(2.0);
        assertThat(loss.getJsonArray("epoch").getInteger(49)).isEqualTo(4);
        assertThat(body.getJsonObject("metrics").getJsonObject("val_loss").getJsonArray("value").getDouble(0)).isEqualTo(0.9);
    }

    @Test
    void returnsEveryMetricOfARunWhenNoneAreNamed() throws Exception {
        JsonObject metrics = json(stack.get("/api/runs/run-a/metrics")).getJsonObject("metrics");
        assertThat(metrics.fieldNames()).containsExactlyInAnyOrder("train_loss", "val_loss");
    }

    @Test
    void downsamplesALongHistoryKeepingItsEndsAndItsDivergence() throws Exception {
        JsonObject loss = json(stack.get("/api/runs/run-b/metrics?names=train_loss&points=200"))
                .getJsonObject("metrics").getJsonObject("train_loss");
        JsonArray steps = loss.getJsonArray("step");
        assertThat(steps.size()).isEqualTo(200);
        assertThat(steps.getLong(0)).isZero();
        assertThat(steps.getLong(199)).isEqualTo(4999);
        int nan = steps.getList().indexOf(4000);
        assertThat(nan).as("the NaN step survives downsampling").isNotNegative();
        assertThat(loss.getJsonArray("value").getValue(nan)).as("NaN is written as null").isNull();
    }

    @Test
    void overlaysOneMetricOfSeveralRuns() throws Exception {
        JsonObject body = json(stack.get("/api/metrics?runs=run-a,run-b&name=train_loss&points=100"));
        assertThat(body.getString("name")).isEqualTo("train_loss");
        assertThat(body.getJsonObject("runs").fieldNames()).containsExactly("run-a", "run-b");
        assertThat(body.getJsonObject("runs").getJsonObject("run-a").getJsonArray("value")).hasSize(50);
        assertThat(body.getJsonObject("runs").getJsonObject("run-b").getJsonArray("value")).hasSize(100);
    }

    @Test
    void answersSeveralMetricsOfSeveralRunsInOneRequestWithOnlyTheColumnsAskedFor() throws Exception {
        JsonObject metrics = json(stack.get("/api/metrics?runs=run-a,run-b&names=val_loss,train_loss&points=100"
                + "&fields=step,value")).getJsonObject("metrics");
        assertThat(metrics.fieldNames()).containsExactly("val_loss", "train_loss");
        assertThat(metrics.getJsonObject("train_loss").fieldNames()).containsExactly("run-a", "run-b");
        JsonObject b = metrics.getJsonObject("train_loss").getJsonObject("run-b");
        assertThat(b.fieldNames()).containsExactly("step", "value");
        assertThat(b.getJsonArray("value")).hasSize(100);
        assertThat(metrics.getJsonObject("val_loss").getJsonObject("run-b").getJsonArray("step")).isEmpty();
        JsonObject epochs = json(stack.get("/api/metrics?runs=run-a&names=train_loss&fields=epoch"))
                .getJsonObject("metrics").getJsonObject("train_loss").getJsonObject("run-a");
        assertThat(epochs.fieldNames()).containsExactly("step", "epoch", "value");
    }

    @Test
    void answersARangeOfStepsAtFullResolutionForAZoomedChart() throws Exception {
        JsonObject b = json(stack.get("/api/metrics?runs=run-b&name=train_loss&points=500&from=3990&to=4009"))
                .getJsonObject("runs").getJsonObject("run-b");
        assertThat(b.getJsonArray("step").getList()).hasSize(20).first().isEqualTo(3990);
        assertThat(b.getJsonArray("step").getList()).last().isEqualTo(4009);
        assertThat(b.getJsonArray("value").getValue(10)).as("the NaN at step 4000").isNull();
        HttpResponse<String> backwards = stack.get("/api/metrics?runs=run-b&name=train_loss&from=10&to=5");
        assertThat(backwards.statusCode()).isEqualTo(400);
        assertThat(json(backwards).getString("error")).isEqualTo("query parameter 'from' (10) must not be after 'to' (5)");
        HttpResponse<String> badField = stack.get("/api/metrics?runs=run-b&name=train_loss&fields=step,loss");
        assertThat(json(badField).getString("error")).contains("'fields' names 'loss'");
        HttpResponse<String> both = stack.get("/api/metrics?runs=run-b&name=train_loss&names=val_loss");
        assertThat(both.statusCode()).isEqualTo(400);
    }

    @Test
    void refusesAnOverlayWithoutRunsOrMetricOrWithAnUnknownRun() throws Exception {
        HttpResponse<String> noRuns = stack.get("/api/metrics?name=train_loss");
        assertThat(noRuns.statusCode()).isEqualTo(400);
        assertThat(json(noRuns).getString("error")).contains("'runs' is required");
        HttpResponse<String> noName = stack.get("/api/metrics?runs=run-a");
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(json(noName).getString("error")).contains("'name' is required");
        HttpResponse<String> unknown = stack.get("/api/metrics?runs=run-a,ghost&name=train_loss");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).getString("error")).isEqualTo("no run with id 'ghost'");
        HttpResponse<String> badPoints = stack.get("/api/metrics?runs=run-a&name=train_loss&points=lots");
        assertThat(badPoints.statusCode()).isEqualTo(400);
    }

    @Test
    void answersAnUnknownEndpointWith404Json() throws Exception {
        HttpResponse<String> response = stack.get("/api/nothing-here");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).getString("error")).isEqualTo("no such API endpoint");
    }

    @Test
    void refusesABodyOverTheLimitWith413() throws Exception {
        String big = "x".repeat((int) WebServer.BODY_LIMIT + 1);
        HttpResponse<String> response = stack.http.send(HttpRequest.newBuilder(URI.create(stack.url("/api/runs")))
                .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).getString("error")).contains("larger than");
    }

    @Test
    void refusesAMethodTheEndpointDoesNotTakeWith405() throws Exception {
        HttpResponse<String> response = stack.http.send(HttpRequest.newBuilder(URI.create(stack.url("/api/runs")))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(json(response).getString("error")).isNotBlank();
    }

    @Test
    void hidesTheCauseOfAStoreFailureFromTheResponse(@TempDir Path other) throws Exception {
        try (TestStack broken = TestStack.start(other)) {
            broken.db.close(); // every query now fails inside the store
            HttpResponse<String> response = broken.get("/api/runs");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(new JsonObject(response.body()).getString("error"))
                    .isEqualTo("internal error; the server log has the details");
            assertThat(response.body()).doesNotContain("Exception", "\tat ", "jdbc:", "dev.cnnworkbench");
        }
    }

    @Test
    void failsToStartWhenThePortIsTaken(@TempDir Path other) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             Database db = Database.openEmbedded(other)) {
            Vertx vertx = Vertx.vertx();
            try {
                WebServer server = new WebServer(new RunStore(new RunQueries(db)), "127.0.0.1", taken.getLocalPort());
                assertThatThrownBy(() -> TestStack.await(vertx.deployVerticle(server)))
                        .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            } finally {
                TestStack.await(vertx.close());
            }
        }
    }
}
