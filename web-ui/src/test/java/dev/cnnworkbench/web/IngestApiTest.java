package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.RunWarning;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.StorageVerticle;
import dev.cnnworkbench.storage.StoredArtifact;
import dev.cnnworkbench.storage.StoredWarning;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/ingest} against a real server, storage and H2: auth, order, durability, dedup, live stream. */
class IngestApiTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path home;
    static Vertx vertx;
    static Database db;
    static WebServer server;
    static WebServer closed;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        db = Database.openEmbedded(home);
        vertx = Vertx.vertx();
        BusCodecs.register(vertx);
        TestStack.await(vertx.deployVerticle(new StorageVerticle(db),
                new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
        server = new WebServer(new RunStore(new RunQueries(db)), "127.0.0.1", 0, TOKEN);
        TestStack.await(vertx.deployVerticle(server));
        closed = new WebServer(new RunStore(new RunQueries(db)), "127.0.0.1", 0);
        TestStack.await(vertx.deployVerticle(closed));
    }

    @AfterAll
    static void stop() {
        try {
            TestStack.await(vertx.close());
        } finally {
            db.close();
        }
    }

    private static HttpResponse<String> post(WebServer to, String query, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port() + "/api/ingest" + query))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Workbench-Token", token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String envelope(String type, Object record, String source, long seq) throws Exception {
        Map<String, Object> e = source == null ? Map.of("type", type, "body", record)
                : Map.of("type", type, "body", record, "source", source, "seq", seq);
        return MAPPER.writeValueAsString(e);
    }

    private static RunStarted started(String id, long pid) {
        return new RunStarted(id, "remote-" + id, "lenet", "{\"name\": \"remote\"}", Map.of("optimizer.lr", 0.01),
                Map.of("java", "17"), System.currentTimeMillis(), pid, Host.name(), "tester");
    }

    @Test
    void refusesAMissingOrWrongTokenWith401() throws Exception {
        String body = envelope("run-started", started("r-denied", 1), null, 0);
        HttpResponse<String> wrong = post(server, "", TOKEN.replace('0', '1'), body);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(wrong.body()).getString("error")).contains("X-Workbench-Token");
        assertThat(post(server, "", null, body).statusCode()).isEqualTo(401);
        assertThat(new RunQueries(db).run("r-denied")).isEmpty();
    }

    @Test
    void isNotFoundWithoutAToken() throws Exception {
        HttpResponse<String> response = post(closed, "", TOKEN, "[]");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(response.body()).getString("error")).contains("does not accept runs");
    }

    @Test
    void refusesABadBatchWholeWithThePathOfTheBadEnvelope() throws Exception {
        String good = envelope("run-started", started("r-bad", 1), null, 0);
        HttpResponse<String> response = post(server, "", TOKEN, "[" + good + ", {\"type\": \"metric\", \"body\": {}}]");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonObject error = new JsonObject(response.body());
        assertThat(error.getString("path")).isEqualTo("[1].type");
        assertThat(post(server, "", TOKEN, "{\"type\": \"run-ended\", \"body\": {\"runId\": \"x\", \"status\": \"NOPE\"}}")
                .statusCode()).isEqualTo(400);
        assertThat(post(server, "", TOKEN, "not json").statusCode()).isEqualTo(400);
        assertThat(new RunQueries(db).run("r-bad")).isEmpty();

        for (String path : new String[] {"../outside.png", "/etc/passwd", "r-bad/../../x", "r-bad\\x.png"}) {
            HttpResponse<String> escape = post(server, "", TOKEN, "[" + good + ", " + envelope("run-artifact",
                    new RunArtifact("r-bad", "image", "x", path, 1, "0".repeat(64), "image/png", 0, 0, 1), null, 0) + "]");
            assertThat(escape.statusCode()).as(path).isEqualTo(400);
            assertThat(new JsonObject(escape.body()).getString("path")).isEqualTo("[1].body.path");
        }
        HttpResponse<String> noMessage = post(server, "", TOKEN, envelope("run-warning", new RunWarning("r-bad", "x", 0, null, 1),
                null, 0));
        assertThat(new JsonObject(noMessage.body()).getString("path")).isEqualTo("body.message");
        assertThat(new RunQueries(db).run("r-bad")).isEmpty();
    }

    @Test
    void storesABatchInOrderDurablyOnEndAndStreamsIt() throws Exception {
        try (SseClient sse = new SseClient(HTTP, "http://127.0.0.1:" + server.port() + "/api/stream?runs=r-ok")) {
            List<String> events = new ArrayList<>();
            events.add(envelope("run-started", started("r-ok", ProcessHandle.current().pid()), "src-1", 0));
            long now = System.currentTimeMillis();
            for (int step = 0; step < 3; step++) {
                events.add(envelope("metrics", new MetricBatch("r-ok", List.of(
                        new MetricPoint("train_loss", step, 0, now + step, step == 1 ? Double.NaN : 2.0 - step))), "src-1", step + 1));
            }
            events.add(envelope("run-warning", new RunWarning("r-ok", "initial_loss", 0, "initial loss 9 is far from ln(10)",
                    now + 3), "src-1", 4));
            events.add(envelope("run-artifact", new RunArtifact("r-ok", "model", "final network", "r-ok/model.zip", 1234,
                    "a".repeat(64), "application/zip", 2, 0, now + 4), "src-1", 5));
            events.add(envelope("run-ended", new RunEnded("r-ok", RunStatus.FINISHED, null, now + 10), "src-1", 6));
            String batch = "[" + String.join(",", events) + "]";

            HttpResponse<String> response = post(server, "", TOKEN, batch);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(new JsonObject(response.body()).getMap())
                    .containsEntry("accepted", 7).containsEntry("skipped", 0).containsEntry("durable", true);

            // acknowledged with its end: already in the database, no flush needed
            RunSummary run = new RunQueries(db).run("r-ok").orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.FINISHED);
            List<MetricPoint> loss = new RunQueries(db).history("r-ok", "train_loss");
            assertThat(loss).extracting(MetricPoint::step).containsExactly(0L, 1L, 2L);
            assertThat(loss.get(1).value()).isNaN();
            assertThat(new RunQueries(db).warnings("r-ok")).extracting(StoredWarning::kind).containsExactly("initial_loss");
            assertThat(new RunQueries(db).artifacts("r-ok")).extracting(StoredArtifact::path, StoredArtifact::sizeBytes)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("r-ok/model.zip", 1234L));

            // the same batch again (a retry whose reply was lost) stores nothing twice
            HttpResponse<String> again = post(server, "", TOKEN, batch);
            assertThat(new JsonObject(again.body()).getMap()).containsEntry("accepted", 0).containsEntry("skipped", 7);
            assertThat(new RunQueries(db).history("r-ok", "train_loss")).hasSize(3);
            assertThat(new RunQueries(db).warnings("r-ok")).hasSize(1);
            assertThat(new RunQueries(db).artifacts("r-ok")).hasSize(1);

            List<SseClient.Event> seen = sse.until("run-ended", Duration.ofSeconds(10));
            assertThat(seen).extracting(SseClient.Event::name)
                    .containsSubsequence("run-started", "metrics", "run-warning", "run-ended");
        }
    }

    @Test
    void endsInterruptedARunWhoseProcessIsGone() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        HttpResponse<String> response = post(server, "?flush=true", TOKEN, envelope("run-started", started("r-gone", gone.pid()), null, 0));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getBoolean("durable")).isTrue();
        long deadline = System.currentTimeMillis() + 3 * IngestHandler.WATCH_MILLIS;
        RunSummary run;
        do {
            Thread.sleep(200);
            run = new RunQueries(db).run("r-gone").orElseThrow();
        } while (run.status() == RunStatus.RUNNING && System.currentTimeMillis() < deadline);
        assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(run.error()).contains("ended without recording an end");
    }
}
