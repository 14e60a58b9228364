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
 * temporary folder, the storage verticle, the web server on a free loopback port, one {@link KeepAliveClient} making
 * calls in a row as MLflow's clients do). Per round: one log-batch of 1,000 metrics against one ingest request of the
 * same 1,000 points (time until the reply, and until the store has committed them); {@code calls} single log-metric
 * calls (each answered once durable) against as many one-point ingest requests (answered before the commit: the load
 * reference); a tenth as many ingest requests that each wait for a commit ({@code ?flush=true}), what a commit per
 * call costs; and a fifth as many log-metric calls from the JDK's HttpClient, what a heavier client costs. Rates come
 * with the process's CPU time per call (server and client), which a loaded machine stretches less than wall time.
 * Prints each round, the medians and the ratios (medians of each round's own ratio).
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

    private static final String PATH = "/api/2.0/mlflow/";
    private static final String INGEST_TOKEN = "bench-mlflow-ingest-token";

    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private final Vertx vertx;
    private final KeepAliveClient client;
    private final HttpClient jdkClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private long step;

    private MlflowBenchmark(Vertx vertx, int port) throws IOException {
        this.vertx = vertx;
        this.client = new KeepAliveClient(vertx, "127.0.0.1", port);
        this.base = "http://127.0.0.1:" + port + PATH;
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
            MlflowBenchmark bench = new MlflowBenchmark(vertx, server.port());
            try {
                bench.measure(settings, out);
            } finally {
                bench.client.close();
            }
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
            db.close();
            org.apache.commons.io.file.PathUtils.deleteDirectory(home);
        }
    }

    private void measure(Settings s, PrintStream out) throws Exception {
        String runId = post("runs/create", new JsonObject().put("experiment_id", "0").put("run_name", "bench-mlflow"))
                .getJsonObject("run").getJsonObject("info").getString("run_id");
        String own = "bench-own-ingest";
        vertx.eventBus().publish(Addresses.RUN_STARTED, new RunStarted(own, own, "Default", "{}", Map.of(),
                Map.of(), System.currentTimeMillis(), 0, "bench", "bench"));
        flush();
        int committing = Math.max(1, s.calls() / 10);
        int jdkCalls = Math.max(1, s.calls() / 5);
        // warm-up: JIT, the connections, the series rows
        for (int i = 0; i < 3; i++) {
            batch(runId);
            ingestBatch(own, 1_000);
        }
        singles(runId, Math.min(s.calls(), 2_000), false);
        ingestSingles(own, Math.min(s.calls(), 2_000), false);
        ingestSingles(own, Math.min(committing, 200), true);
        singles(runId, Math.min(jdkCalls, 500), true);
        flush();

        double[][] batch = new double[4][s.rounds()];
        double[][] rate = new double[4][s.rounds()];
        double[][] cpu = new double[4][s.rounds()];
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

            timed(rate, cpu, 0, r, s.calls(), () -> singles(runId, s.calls(), false));
            timed(rate, cpu, 1, r, s.calls(), () -> ingestSingles(own, s.calls(), false));
            timed(rate, cpu, 2, r, committing, () -> ingestSingles(own, committing, true));
            timed(rate, cpu, 3, r, jdkCalls, () -> singles(runId, jdkCalls, true));
            flush();
            out.printf(Locale.ROOT, "round %d: batch of 1000: MLflow %.1f ms (committed %.1f), own ingest %.1f ms"
                    + " (committed %.1f); single calls: MLflow %.0f/s (%.0f us CPU each), own ingest %.0f/s (%.0f us),"
                    + " own ingest committing each %.0f/s, MLflow from the JDK HttpClient %.0f/s (%.0f us)%n", r + 1,
                    batch[0][r], batch[1][r], batch[2][r], batch[3][r], rate[0][r], cpu[0][r], rate[1][r], cpu[1][r],
                    rate[2][r], rate[3][r], cpu[3][r]);
        }
        out.println();
        out.printf(Locale.ROOT, "log-batch of 1,000 metrics: median %.1f ms to the reply, which means durable (goal"
                + " < 50 ms), %.1f ms until committed in the database%n", median(batch[0]), median(batch[1]));
        out.printf(Locale.ROOT, "  baseline, POST /api/ingest of the same 1,000 points: median %.1f ms to the reply (not"
                + " durable), %.1f ms until committed; ratio MLflow/own %.2f (reply), %.2f (committed)%n",
                median(batch[2]), median(batch[3]), medianRatio(batch[0], batch[2]), medianRatio(batch[1], batch[3]));
        out.printf(Locale.ROOT, "single log-metric calls, one client (one keep-alive connection), %d in a row, each"
                + " answered once durable: median %.0f calls/s (goal >= 2,000), %.0f us CPU per call (server and"
                + " client)%n", s.calls(), median(rate[0]), median(cpu[0]));
        out.printf(Locale.ROOT, "  load reference, %d one-point POST /api/ingest calls (answered before the commit):"
                + " median %.0f calls/s, %.0f us CPU per call; ratio MLflow/own %.2f%n", s.calls(), median(rate[1]),
                median(cpu[1]), medianRatio(rate[0], rate[1]));
        out.printf(Locale.ROOT, "  a database commit per call (%d POST /api/ingest?flush=true): median %.0f calls/s%n",
                committing, median(rate[2]));
        out.printf(Locale.ROOT, "  the same log-metric calls from the JDK's HttpClient (%d): median %.0f calls/s, %.0f us"
                + " CPU per call%n", jdkCalls, median(rate[3]), median(cpu[3]));
    }

    private interface Calls {
        void run() throws IOException, InterruptedException;
    }

    /** Calls per second and process CPU microseconds per call of {@code calls}, into column {@code round} of row {@code i}. */
    private static void timed(double[][] rate, double[][] cpu, int i, int round, int n, Calls calls)
            throws IOException, InterruptedException {
        long c0 = CPU.getProcessCpuTime();
        long t0 = System.nanoTime();
        calls.run();
        rate[i][round] = n / ((System.nanoTime() - t0) / 1e9);
        cpu[i][round] = (CPU.getProcessCpuTime() - c0) / 1e3 / n;
    }

    private void batch(String runId) throws IOException {
        JsonArray metrics = new JsonArray();
        long now = System.currentTimeMillis();
        for (int i = 0; i < 1_000; i++) {
            metrics.add(new JsonObject().put("key", "batch_metric_" + (i % 10)).put("value", Math.sin(step))
                    .put("timestamp", now).put("step", step++));
        }
        post("runs/log-batch", new JsonObject().put("run_id", runId).put("metrics", metrics));
    }

    /** Single log-metric calls in a row, from the light client or from the JDK's HttpClient. */
    private void singles(String runId, int calls, boolean jdk) throws IOException, InterruptedException {
        for (int i = 0; i < calls; i++) {
            JsonObject body = new JsonObject().put("run_id", runId).put("key", "single_metric")
                    .put("value", Math.cos(step)).put("timestamp", System.currentTimeMillis()).put("step", step++);
            if (jdk) {
                HttpResponse<String> r = jdkClient.send(HttpRequest.newBuilder(URI.create(base + "runs/log-metric"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                body.encode())).build(), HttpResponse.BodyHandlers.ofString());
                check("runs/log-metric", r.statusCode(), r.body());
            } else {
                post("runs/log-metric", body);
            }
        }
    }

    /** The same points through the workbench's own HTTP ingest, one request. */
    private void ingestBatch(String runId, int n) throws IOException {
        JsonArray points = new JsonArray();
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            points.add(point("batch_metric_" + (i % 10), now, Math.sin(step)));
        }
        sendIngest(runId, points, false);
    }

    private void ingestSingles(String runId, int calls, boolean commit) throws IOException {
        for (int i = 0; i < calls; i++) {
            sendIngest(runId, new JsonArray().add(point("single_metric", System.currentTimeMillis(), Math.cos(step))),
                    commit);
        }
    }

    private JsonObject point(String name, long time, double value) {
        return new JsonObject().put("name", name).put("step", step++).put("epoch", 0).put("time", time).put("value", value);
    }

    private void sendIngest(String runId, JsonArray points, boolean commit) throws IOException {
        String body = new JsonObject().put("type", "metrics")
                .put("body", new JsonObject().put("runId", runId).put("points", points)).encode();
        String path = commit ? "/api/ingest?flush=true" : "/api/ingest";
        KeepAliveClient.Reply r = client.post(path, body, "X-Workbench-Token: " + INGEST_TOKEN);
        check(path, r.status(), r.body());
    }

    private void flush() {
        try {
            vertx.eventBus().request(Addresses.STORAGE_FLUSH, "").await(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the storage did not commit within 60 s", e);
        }
    }

    private JsonObject post(String path, JsonObject body) throws IOException {
        KeepAliveClient.Reply r = client.post(PATH + path, body.encode());
        check(path, r.status(), r.body());
        return new JsonObject(r.body());
    }

    private static void check(String path, int status, String body) {
        if (status != 200) {
            throw new IllegalStateException(path + " answered " + status + ": " + body);
        }
    }

    /** The median of the rounds' own ratios {@code a[r] / b[r]}: each round's pair shares that moment's load. */
    static double medianRatio(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return median(r);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
