package dev.cnnworkbench.web;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.RunWarning;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunChanges;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.storage.StorageVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real stack for tests: Vert.x with the bus codecs, a real H2 in a temp folder, the storage
 * verticle persisting what the bus carries, and the web server on a free local port serving artifact files from
 * {@code HOME/artifacts}, whose runs can be renamed and deleted, tags and notes editable, listing the plugins on the test
 * class path (a stand-in conv2d). Runs are written the way a trainer writes them: by publishing on the bus; or, for many
 * at once, straight into the database with {@link Seeder}.
 */
final class TestStack implements AutoCloseable {

    final Vertx vertx;
    final Database db;
    final WebServer server;
    final Path artifacts;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestStack(Vertx vertx, Database db, WebServer server, Path artifacts) {
        this.vertx = vertx;
        this.db = db;
        this.server = server;
        this.artifacts = artifacts;
    }

    static TestStack start(Path home) {
        return start(home, (server, db) -> server);
    }

    /** A stack whose web server {@code setup} configures further (team mode, a launcher) before it is deployed. */
    static TestStack start(Path home, java.util.function.BiFunction<WebServer, Database, WebServer> setup) {
        Database db = Database.openEmbedded(home);
        Vertx vertx = Vertx.vertx();
        BusCodecs.register(vertx);
        await(vertx.deployVerticle(new StorageVerticle(db),
                new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
        Path artifacts = home.resolve("artifacts");
        WebServer server = setup.apply(new WebServer(new RunStore(new RunQueries(db), artifacts, new RunWriter(db)),
                "127.0.0.1", 0).withPlugins(PluginRegistry.builtin()).withRunChanges(new RunChanges(db)), db);
        await(vertx.deployVerticle(server));
        return new TestStack(vertx, db, server, artifacts);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** Publishes a run start, as a trainer does. */
    void startRun(String id, String name, Map<String, Object> params) {
        String spec = "{\"name\": \"" + name + "\", \"optimizer\": {\"type\": \"adam\"}}";
        vertx.eventBus().publish(Addresses.RUN_STARTED, new RunStarted(id, name, "lenet", spec, params,
                Map.of("java", "17", "backend", "cpu"), System.currentTimeMillis(), ProcessHandle.current().pid(),
                "test-host", "tester"));
    }

    /** Publishes steps {@code from..to-1} of one metric, one batch per step, values from {@code f}. */
    void metrics(String runId, String metric, int from, int to, java.util.function.IntToDoubleFunction f) {
        long now = System.currentTimeMillis();
        for (int step = from; step < to; step++) {
            vertx.eventBus().publish(Addresses.METRICS, new MetricBatch(runId,
                    List.of(new MetricPoint(metric, step, step / 10, now + step * 10L, f.applyAsDouble(step)))));
        }
    }

    /** Publishes a training-health warning, as a trainer does. */
    void warn(String runId, String kind, long step, String message) {
        vertx.eventBus().publish(Addresses.RUN_WARNING, new RunWarning(runId, kind, step, message, System.currentTimeMillis()));
    }

    /** Writes {@code content} to {@code HOME/artifacts/PATH} and announces it with its size and SHA-256. */
    void artifact(String runId, String kind, String name, String path, byte[] content, String mediaType, long step)
            throws IOException {
        Path file = artifacts.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        vertx.eventBus().publish(Addresses.RUN_ARTIFACT, new RunArtifact(runId, kind, name, path, content.length,
                sha256(content), mediaType, step, (int) (step / 10), System.currentTimeMillis()));
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A {@code size}x{@code size} PNG: a grey ramp, as a first-layer filter image might look. */
    static byte[] png(int size) throws IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(size, size,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = 255 * (x + y) / (2 * size - 2);
                image.getRaster().setSample(x, y, 0, v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    void endRun(String runId, RunStatus status, String error) {
        vertx.eventBus().publish(Addresses.RUN_ENDED, new RunEnded(runId, status, error, System.currentTimeMillis()));
    }

    /** Waits until everything published so far is in the database. */
    void flush() {
        await(vertx.eventBus().request(Addresses.STORAGE_FLUSH, ""));
    }

    /** Sends {@code method path} with a JSON body (or none when {@code json} is null). */
    HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code path} byte for byte (no client-side normalisation); returns the whole raw response. */
    String raw(String method, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    /** The result of {@code future}, waiting at most 30 s; its failure rethrown unchecked. */
    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> lines(String text) {
        return new ArrayList<>(List.of(text.split("\r?\n")));
    }

    @Override
    public void close() {
        try {
            await(vertx.close());
        } finally {
            db.close();
        }
    }
}
