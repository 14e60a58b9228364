package dev.cnnworkbench.web.bench;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.storage.StorageVerticle;
import dev.cnnworkbench.web.RunStore;
import dev.cnnworkbench.web.WebServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code workbench bench mlflow}: the MLflow tracking API's speed against the workbench's own HTTP ingest of the same
 * points ({@code POST /api/ingest}, what a run of another process sends), measured in one process (a real H2 in a
 * temporary folder, the storage verticle, the web server on a free loopback port, one HTTP/1.1 client, calls in a
 * row as MLflow's clients make them). Per round: one log-batch of 1,000 metrics against one ingest request of the
 * same 1,000 points (time until the reply, and until the store has committed them); and {@code calls} single
 * log-metric calls against as many one-point ingest requests. Prints each round, the medians and the ratios.
 */
public final class MlflowBenchmark {

    /**
     * @param rounds interleaved rounds (medians over them)
     * @param calls  single log-metric calls per round
     */
    public record Settings(int rounds, int calls) {

        public Settings {
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
            }
            if (calls < 1) {
                throw new IllegalArgumentException("calls must be >= 1, got " + calls);
            }
        }
    }

    private static final String INGEST_TOKEN = "bench-mlflow-ingest-token";

    private final Vertx vertx;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final URI ingest;
    private long step;

    private MlflowBenchmark(Vertx vertx, int port) {
        this.vertx = vertx;
        this.base = "http://127.0.0.1:" + port + "/api/2.0/mlflow/";
        this.ingest = URI.create("http://127.0.0.1:" + port + "/api/ingest");
    }

    /** Runs the benchmark in a temporary home (deleted afterwards) and prints to {@code out}. */
    public static void run(Settings settings, PrintStream out) throws Exception {
        Path home = Files.createTempDirectory("workbench-bench-mlflow");
        Database db = Database.openEmbedded(home);
        Vertx vertx = Vertx.vertx();
        try {
            BusCodecs.register(vertx);
            vertx.deployVerticle(new StorageVerticle(db), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                    .await(30, TimeUnit.SECONDS);
            WebServer server = new WebServer(new RunStore(new RunQueries(db), null, new RunWriter(db)), "127.0.0.1", 0,
                    INGEST_TOKEN);
            vertx.deployVerticle(server).await(30, TimeUnit.SECONDS);
            new MlflowBenchmark(vertx, server.port()).measure(settings, out);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
            db.close();
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void measure(Settings s, PrintStream out) throws Exception {
        String runId = post("runs/create", new JsonObject().put("experiment_id", "0").put("run_name", "bench-mlflow"))
                .getJsonObject("run").getJsonObject("info").getString("run_id");
        String own = "bench-own-ingest";
        vertx.eventBus().publish(Addresses.RUN_STARTED, new RunStarted(own, own, "Default", "{}", Map.of(),
                Map.of(), System.currentTimeMillis(), 0, "bench", "bench"));
        flush();
        // warm-up: JIT, the connection, the series rows
        for (int i = 0; i < 3; i++) {
            batch(runId);
            ingestBatch(own, 1_000);
        }
        singles(runId, Math.min(s.calls(), 2_000));
        ingestSingles(own, Math.min(s.calls(), 2_000));
        flush();

        double[][] batch = new double[4][s.rounds()];
        double[][] single = new double[4][s.rounds()];
        for (int r = 0; r < s.rounds(); r++) {
            long t0 = System.nanoTime();
            batch(runId);
            long t1 = System.nanoTime();
            flush();
            batch[0][r] = (t1 - t0) / 1e6;
            batch[1][r] = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            ingestBatch(own, 1_000);
            t1 = System.nanoTime();
            flush();
            batch[2][r] = (t1 - t0) / 1e6;
            batch[3][r] = (System.nanoTime() - t0) / 1e6;

            t0 = System.nanoTime();
            singles(runId, s.calls());
            t1 = System.nanoTime();
            flush();
            single[0][r] = s.calls() / ((t1 - t0) / 1e9);
            single[1][r] = s.calls() / ((System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            ingestSingles(own, s.calls());
            t1 = System.nanoTime();
            flush();
            single[2][r] = s.calls() / ((t1 - t0) / 1e9);
            single[3][r] = s.calls() / ((System.nanoTime() - t0) / 1e9);
            out.printf(Locale.ROOT, "round %d: batch of 1000: MLflow %.1f ms (committed %.1f), own ingest %.1f ms"
                    + " (committed %.1f); %d single calls: MLflow %.0f/s (committed %.0f/s), own ingest %.0f/s"
                    + " (committed %.0f/s)%n", r + 1, batch[0][r], batch[1][r], batch[2][r], batch[3][r], s.calls(),
                    single[0][r], single[1][r], single[2][r], single[3][r]);
        }
        out.println();
        out.printf(Locale.ROOT, "log-batch of 1,000 metrics: median %.1f ms to the reply (goal < 50 ms), %.1f ms until"
                + " committed%n", median(batch[0]), median(batch[1]));
        out.printf(Locale.ROOT, "  baseline, POST /api/ingest of the same 1,000 points: median %.1f ms to the reply,"
                + " %.1f ms until committed; ratio MLflow/own %.2f (reply), %.2f (committed)%n", median(batch[2]),
                median(batch[3]), median(batch[0]) / median(batch[2]), median(batch[1]) / median(batch[3]));
        out.printf(Locale.ROOT, "single log-metric calls, one client, %d in a row: median %.0f calls/s (goal >= 2,000),"
                + " %.0f/s until committed%n", s.calls(), median(single[0]), median(single[1]));
        out.printf(Locale.ROOT, "  baseline, %d one-point POST /api/ingest calls: median %.0f calls/s, %.0f/s until"
                + " committed; ratio MLflow/own %.2f%n", s.calls(), median(single[2]), median(single[3]),
                median(single[0]) / median(single[2]));
    }

    private void batch(String runId) throws IOException, InterruptedException {
        JsonArray metrics = new JsonArray();
        long now = System.currentTimeMillis();
        for (int i = 0; i < 1_000; i++) {
            metrics.add(new JsonObject().put("key", "batch_metric_" + (i % 10)).put("value", Math.sin(step))
                    .put("timestamp", now).put("step", step++));
        }
        post("runs/log-batch", new JsonObject().put("run_id", runId).put("metrics", metrics));
    }

    private void singles(String runId, int calls) throws IOException, InterruptedException {
        for (int i = 0; i < calls; i++) {
            post("runs/log-metric", new JsonObject().put("run_id", runId).put("key", "single_metric")
                    .put("value", Math.cos(step)).put("timestamp", System.currentTimeMillis()).put("step", step++));
        }
    }

    /** The same points through the workbench's own HTTP ingest, one request. */
    private void ingestBatch(String runId, int n) throws IOException, InterruptedException {
        JsonArray points = new JsonArray();
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            points.add(point("batch_metric_" + (i % 10), now, Math.sin(step)));
        }
        sendIngest(runId, points);
    }

    private void ingestSingles(String runId, int calls) throws IOException, InterruptedException {
        for (int i = 0; i < calls; i++) {
            sendIngest(runId, new JsonArray().add(point("single_metric", System.currentTimeMillis(), Math.cos(step))));
        }
    }

    private JsonObject point(String name, long time, double value) {
        return new JsonObject().put("name", name).put("step", step++).put("epoch", 0).put("time", time).put("value", value);
    }

    private void sendIngest(String runId, JsonArray points) throws IOException, InterruptedException {
        String body = new JsonObject().put("type", "metrics")
                .put("body", new JsonObject().put("runId", runId).put("points", points)).encode();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(ingest).header("Content-Type", "application/json")
                .header("X-Workbench-Token", INGEST_TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("/api/ingest answered " + r.statusCode() + ": " + r.body());
        }
    }

    private void flush() {
        try {
            vertx.eventBus().request(Addresses.STORAGE_FLUSH, "").await(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the storage did not commit within 60 s", e);
        }
    }

    private JsonObject post(String path, JsonObject body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return new JsonObject(r.body());
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
