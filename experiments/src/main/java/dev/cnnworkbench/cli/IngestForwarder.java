package dev.cnnworkbench.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.storage.ArtifactPaths;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.web.IngestType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a process whose home is served by a {@code workbench serve}: takes the place of the storage verticle.
 * It consumes what this process publishes (every {@link IngestType}: run starts, metrics, warnings, artifacts and
 * ends) and sends it, in order, to the server's {@code POST /api/ingest}, batched (every {@link #BATCH_MILLIS} ms or
 * {@link #BATCH_POINTS} points, and at once for a run's start, warnings, artifacts and end); the server
 * publishes it on its own bus, where its storage persists it and its live stream shows it. It answers the local
 * {@link Addresses#STORAGE_FLUSH} once everything received before is durable in the server's database, as the
 * storage verticle does, so a trainer cannot tell the difference.
 *
 * <p>Failures: while the server does not answer, everything is kept in order in memory and retried with a
 * growing delay (up to {@link #MAX_RETRY_MILLIS} ms), with a warning every {@link #WARN_EVERY_MILLIS} ms. Each
 * envelope carries this process's id and a sequence number, so the server skips what a retry sends twice. When
 * {@code server.json} names a new server, the rest goes there; when the server is gone for good (its file
 * removed, or its process dead), this process opens the database itself and writes the rest there, in order.
 * An artifact whose path is not {@linkplain ArtifactPaths#isSafe safe} is not sent (the server would refuse its
 * whole batch); the error is logged. Runs on one event loop: no locks.
 */
final class IngestForwarder extends VerticleBase {

    static final long BATCH_MILLIS = 200;
    static final int BATCH_POINTS = 1_000;
    /** Well under the server's 8 MB body limit. */
    static final int MAX_REQUEST_CHARS = 4 * 1024 * 1024;
    static final long MAX_RETRY_MILLIS = 2_000;
    static final long WARN_EVERY_MILLIS = 5_000;
    static final long STOP_WAIT_MILLIS = 10_000;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(90);
    private static final Logger LOG = LoggerFactory.getLogger(IngestForwarder.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the server reads: {@code {"type", "source", "seq", "body"}}. */
    private record Envelope(String type, String source, long seq, Record body) {
    }

    /** One event waiting to be acknowledged, with its envelope already encoded. */
    private record Pending(long seq, Record body, int points, String json) {
        boolean runEvent() {
            return !(body instanceof MetricBatch);
        }
    }

    /** How a delivery went: the first {@code count} events of the batch are acknowledged, and durable or not. */
    private record Delivered(int count, boolean durable) {
    }

    /** A local flush request, answered once everything up to {@code seq} is durable. */
    private record Waiter(long seq, Message<?> msg) {
    }

    /** The server refused a batch for its content: sending it again would not help. */
    private static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final Path home;
    private final Supplier<Database> openDatabase;
    private final String source = ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /**
     * Events the server took but has not yet said are in its database: if it dies before it does, they go again, first,
     * to whoever takes over (a new server, or this process's own database), since a killed server may have lost them.
     */
    private final ArrayDeque<Pending> undurable = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private ServerFile server;
    private HttpClient http;
    private Database db;
    private RunWriter writer;
    private long nextSeq;
    private long ackedSeq = -1;
    private long durableSeq = -1;
    private long queuedPoints;
    private int queuedRunEvents;
    private long sentPoints;
    private boolean inFlight;
    private boolean failing;
    private long retryAt;
    private long retryDelay;
    private long lastWarn;
    private String problem;
    private long timer;

    /**
     * Sends to {@code server}; {@code openDatabase} opens the home's database should the server go away for good
     * (called on a worker thread, at most once).
     */
    IngestForwarder(Path home, ServerFile server, Supplier<Database> openDatabase) {
        this.home = home;
        this.server = server;
        this.openDatabase = openDatabase;
    }

    @Override
    public Future<?> start() {
        try {
            http = server.client(CONNECT_TIMEOUT);
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        var bus = vertx.eventBus();
        for (IngestType type : IngestType.values()) {
            bus.<Record>consumer(type.address(), m -> enqueue(type, m.body()));
        }
        bus.<Object>consumer(Addresses.STORAGE_FLUSH, this::onFlush);
        timer = vertx.setPeriodic(BATCH_MILLIS, id -> {
            pump();
            warnIfStuck();
        });
        return Future.succeededFuture();
    }

    /** Waits up to {@link #STOP_WAIT_MILLIS} ms for what is left to be delivered; says what was not. */
    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        Promise<Void> done = Promise.promise();
        long deadline = System.currentTimeMillis() + STOP_WAIT_MILLIS;
        vertx.setPeriodic(50, id -> {
            pump();
            if ((queue.isEmpty() && !inFlight) || System.currentTimeMillis() > deadline) {
                vertx.cancelTimer(id);
                finish();
                done.complete();
            }
        });
        return done.future();
    }

    private void finish() {
        if (!queue.isEmpty()) {
            LOG.error("{} metric points and {} run events could not be delivered to the {} ({}); the runs are recorded"
                    + " up to what it acknowledged", queuedPoints, queuedRunEvents, server, problem);
        }
        waiters.forEach(w -> w.msg().fail(503, "stopped before everything was delivered to the " + server));
        waiters.clear();
        if (db != null) {
            db.close();
        }
    }

    private void enqueue(IngestType type, Record body) {
        if (body instanceof RunArtifact a && !ArtifactPaths.isSafe(a.path())) {
            LOG.error("artifact '{}' of run {} is not sent: its path '{}' is not a relative path inside the artifacts"
                    + " folder", a.name(), a.runId(), a.path());
            return;
        }
        int points = body instanceof MetricBatch m ? m.points().size() : 0;
        long seq = nextSeq++;
        String json;
        try {
            json = MAPPER.writeValueAsString(new Envelope(type.wireName(), source, seq, body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        Pending pending = new Pending(seq, body, points, json);
        queue.add(pending);
        queuedPoints += points;
        if (pending.runEvent()) {
            queuedRunEvents++;
        }
        // a run's start, warnings, artifacts and end go at once (the dashboard shows them), points once a batch is full
        if (pending.runEvent() || queuedPoints >= BATCH_POINTS) {
            pump();
        }
    }

    private void onFlush(Message<Object> msg) {
        long seq = nextSeq - 1;
        if (seq <= durableSeq) {
            msg.reply(sentPoints);
            return;
        }
        waiters.add(new Waiter(seq, msg));
        pump();
    }

    /** Sends the next batch unless one is in flight, there is nothing to do, or a retry is not due. */
    private void pump() {
        if (inFlight || (queue.isEmpty() && waiters.isEmpty()) || System.currentTimeMillis() < retryAt) {
            return;
        }
        List<Pending> batch = new ArrayList<>();
        long chars = 2;
        for (Pending p : queue) {
            if (!batch.isEmpty() && chars + p.json().length() + 1 > MAX_REQUEST_CHARS) {
                break;
            }
            batch.add(p);
            chars += p.json().length() + 1;
        }
        long last = batch.isEmpty() ? nextSeq - 1 : batch.get(batch.size() - 1).seq();
        boolean flush = waiters.stream().anyMatch(w -> w.seq() <= last);
        inFlight = true;
        Future<Delivered> delivery = writer != null ? write(batch) : post(batch, flush);
        delivery.onComplete(ar -> {
            if (ar.succeeded()) {
                acknowledge(ar.result().count(), ar.result().durable());
                inFlight = false;
                if (queuedPoints >= BATCH_POINTS || queuedRunEvents > 0 || !waiters.isEmpty()) {
                    pump();
                }
            } else if (ar.cause() instanceof Refused refused) {
                LOG.error("the {} refused {} events ({}); they are dropped", server, batch.size(), refused.getMessage());
                acknowledge(batch.size(), false);
                inFlight = false;
            } else {
                failed(ar.cause());
            }
        });
    }

    private Future<Delivered> post(List<Pending> batch, boolean flush) {
        StringBuilder body = new StringBuilder(2 + batch.stream().mapToInt(p -> p.json().length() + 1).sum()).append('[');
        for (int i = 0; i < batch.size(); i++) {
            body.append(i == 0 ? "" : ",").append(batch.get(i).json());
        }
        body.append(']');
        HttpRequest request = HttpRequest.newBuilder(server.ingestUri(flush)).timeout(REQUEST_TIMEOUT)
                .header(ServerFile.TOKEN_HEADER, server.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        Promise<Delivered> result = Promise.promise();
        var context = vertx.getOrCreateContext();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> context.runOnContext(v -> {
            if (error != null) {
                Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                result.fail(new IOException("cannot reach it: " + (e instanceof java.net.ConnectException ? "connection refused"
                        : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e));
                return;
            }
            int status = response.statusCode();
            if (status == 200) {
                result.complete(new Delivered(batch.size(), new JsonObject(response.body()).getBoolean("durable", false)));
            } else if (status == 400 || status == 413) {
                result.fail(new Refused(status + " " + errorOf(response.body())));
            } else {
                result.fail(new IOException("it answered " + status + " " + errorOf(response.body())));
            }
        }));
        return result.future();
    }

    private static String errorOf(String body) {
        try {
            return new JsonObject(body).getString("error", body);
        } catch (RuntimeException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }

    /**
     * After a take-over: writes the batch into the database, in order, consecutive metrics in one transaction;
     * acknowledges what was written before any failure.
     */
    private Future<Delivered> write(List<Pending> batch) {
        return vertx.executeBlocking(() -> {
            int done = 0;
            while (done < batch.size()) {
                int next = done + 1;
                Record body = batch.get(done).body();
                try {
                    if (!(body instanceof MetricBatch)) {
                        writer.write(body);
                    } else {
                        List<RunWriter.RunPoint> points = new ArrayList<>();
                        for (next = done; next < batch.size() && batch.get(next).body() instanceof MetricBatch m; next++) {
                            m.points().forEach(x -> points.add(new RunWriter.RunPoint(m.runId(), x)));
                        }
                        writer.insertMetrics(points);
                    }
                } catch (SQLException e) {
                    String state = String.valueOf(e.getSQLState());
                    if (!(state.startsWith("22") || state.startsWith("23") || state.startsWith("42"))) {
                        if (done == 0) {
                            throw e;
                        }
                        return new Delivered(done, true);
                    }
                    LOG.error("the database refused events {} to {} of this process ({}); they are dropped",
                            batch.get(done).seq(), batch.get(next - 1).seq(), e.getMessage());
                }
                done = next;
            }
            return new Delivered(done, true);
        }, true);
    }

    private void acknowledge(int count, boolean isDurable) {
        for (int i = 0; i < count; i++) {
            Pending p = queue.poll();
            queuedPoints -= p.points();
            sentPoints += p.points();
            if (p.runEvent()) {
                queuedRunEvents--;
            }
            ackedSeq = p.seq();
            if (!isDurable && writer == null) {
                undurable.add(p);
            }
        }
        if (isDurable) {
            undurable.clear();
            durableSeq = ackedSeq;
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.seq() <= durableSeq) {
                    w.msg().reply(sentPoints);
                    it.remove();
                }
            }
        }
        if (failing) {
            LOG.info("delivered again to the {}", writer != null ? "database" : server);
        }
        failing = false;
        retryDelay = 0;
        retryAt = 0;
    }

    /** A delivery failed: look again at who owns the database, then retry after a growing delay. */
    private void failed(Throwable cause) {
        failing = true;
        problem = cause.getMessage();
        retryDelay = Math.min(MAX_RETRY_MILLIS, Math.max(BATCH_MILLIS, retryDelay * 2));
        retryAt = System.currentTimeMillis() + retryDelay;
        if (writer != null) {
            inFlight = false;
            return;
        }
        ServerFile current = server;
        vertx.executeBlocking(() -> reconsider(current), true).onComplete(ar -> {
            if (ar.failed()) {
                problem = ar.cause().getMessage();
            } else if (ar.result() instanceof ServerFile next) {
                LOG.warn("the {} is gone; sending the rest to the {}", server, next);
                try {
                    http = next.client(CONNECT_TIMEOUT);
                    server = next;
                    sendUndurableAgain();
                } catch (IOException e) {
                    problem = e.getMessage();
                }
                retryAt = 0;
            } else if (ar.result() instanceof Database opened) {
                LOG.warn("the {} is gone; this process writes the rest of its runs into {} itself", server, opened.url());
                db = opened;
                writer = new RunWriter(opened);
                sendUndurableAgain();
                retryAt = 0;
            }
            inFlight = false;
        });
    }

    /** Puts what the gone server took without confirming it durable back at the front of the queue, in order. */
    private void sendUndurableAgain() {
        if (!undurable.isEmpty()) {
            LOG.warn("sending {} events again that the gone server took but may not have written", undurable.size());
        }
        while (!undurable.isEmpty()) {
            Pending p = undurable.pollLast();
            queue.addFirst(p);
            queuedPoints += p.points();
            sentPoints -= p.points();
            if (p.runEvent()) {
                queuedRunEvents++;
            }
        }
    }

    /**
     * On a worker, after {@code current} did not take a batch: the new server of this home ({@link ServerFile}), or
     * the database opened by this process when the server is gone for good (its file removed, or its process dead)
     * ({@link Database}), or null to retry the same server.
     */
    private Object reconsider(ServerFile current) throws IOException {
        ServerFile now = ServerFile.read(home);
        if (now != null && !now.sameServer(current) && now.processAlive()) {
            return now;
        }
        if (now == null || !now.sameServer(current) || !current.processAlive()) {
            return openDatabase.get();
        }
        return null;
    }

    private void warnIfStuck() {
        long now = System.currentTimeMillis();
        if (failing && now - lastWarn >= WARN_EVERY_MILLIS) {
            lastWarn = now;
            LOG.warn("{} metric points and {} run events are waiting for the {} ({}); retrying", queuedPoints,
                    queuedRunEvents, writer != null ? "database" : server, problem);
        }
    }
}
