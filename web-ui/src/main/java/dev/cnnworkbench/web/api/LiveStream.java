package dev.cnnworkbench.web.api;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunWarning;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server-sent events from the event bus to browsers, at a pace a page can draw. Metric points are
 * coalesced per run and sent every {@link #FLUSH_MILLIS} ms, so a run yields at most
 * {@code 1000 / FLUSH_MILLIS} messages a second however fast it trains; a flush carries at most
 * {@link #MAX_POINTS_PER_FLUSH} points per metric (the series downsampled, its last point kept).
 *
 * <p>Events: {@code run-started} {@code {runId, name, experiment, user, host, startedAt}},
 * {@code metrics} {@code {runId, metrics: {name: {step, epoch, time, value}}}}, {@code run-warning}
 * {@code {runId, kind, step, message, time}} (at once, as it is raised), {@code run-ended}
 * {@code {runId, status, error, endedAt}}. A run's pending points are sent before its warnings and its end, so a
 * page sees a warning after the points it is about.
 *
 * <p>Threading: created and used on the web verticle's event loop only (bus handlers, timers and
 * HTTP callbacks all run there), so it needs no locks. A client that cannot keep up (its write
 * queue full) is disconnected; the browser's EventSource reconnects and the page reloads the history.
 */
public final class LiveStream {

    public static final long FLUSH_MILLIS = 250;
    public static final long KEEP_ALIVE_MILLIS = 15_000;
    public static final int MAX_POINTS_PER_FLUSH = 500;

    /** One browser's stream: every run, or only the runs it named. */
    private record Client(HttpServerResponse response, Set<String> runs, boolean wantsMetrics) {
        boolean follows(String runId) {
            return runs.isEmpty() || runs.contains(runId);
        }
    }

    private final Vertx vertx;
    private final Set<Client> clients = new LinkedHashSet<>();
    private final Map<String, Map<String, List<MetricPoint>>> pending = new LinkedHashMap<>();
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private long flushTimer = -1;
    private long keepAliveTimer = -1;

    public LiveStream(Vertx vertx) {
        this.vertx = vertx;
    }

    public void start() {
        var bus = vertx.eventBus();
        consumers.add(bus.<RunStarted>consumer(Addresses.RUN_STARTED, msg -> onStarted(msg.body())));
        consumers.add(bus.<MetricBatch>consumer(Addresses.METRICS, msg -> onMetrics(msg.body())));
        consumers.add(bus.<RunWarning>consumer(Addresses.RUN_WARNING, msg -> onWarning(msg.body())));
        consumers.add(bus.<RunEnded>consumer(Addresses.RUN_ENDED, msg -> onEnded(msg.body())));
        flushTimer = vertx.setPeriodic(FLUSH_MILLIS, id -> flushAll());
        keepAliveTimer = vertx.setPeriodic(KEEP_ALIVE_MILLIS, id -> clients.forEach(c -> write(c, ": keep-alive\n\n")));
    }

    public void stop() {
        vertx.cancelTimer(flushTimer);
        vertx.cancelTimer(keepAliveTimer);
        consumers.forEach(MessageConsumer::unregister);
        for (Client c : List.copyOf(clients)) {
            c.response().end();
        }
        clients.clear();
    }

    /**
     * Opens a stream: {@code ?runs=a,b} follows those runs only; {@code ?metrics=false} sends no metric points, only
     * starts, warnings and ends.
     */
    public void handle(RoutingContext ctx) {
        Set<String> runs = new HashSet<>();
        RunApi.list(ctx, "runs").ifPresent(ids -> ids.forEach(id -> runs.add(RunApi.runId(id))));
        boolean metrics = !"false".equals(ctx.queryParams().get("metrics"));
        HttpServerResponse response = ctx.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache, no-transform")
                // never compressed: a compressor may hold events back until its buffer fills
                .putHeader("Content-Encoding", "identity")
                .putHeader("X-Accel-Buffering", "no");
        Client client = new Client(response, Set.copyOf(runs), metrics);
        clients.add(client);
        response.closeHandler(v -> clients.remove(client));
        response.exceptionHandler(e -> clients.remove(client));
        write(client, "retry: 3000\n: connected\n\n");
    }

    public int clientCount() {
        return clients.size();
    }

    private void onStarted(RunStarted run) {
        send(run.runId(), false, event("run-started", new JsonObject()
                .put("runId", run.runId()).put("name", run.name()).put("experiment", run.experiment())
                .put("user", run.user()).put("host", run.host()).put("startedAt", run.startedAt())));
    }

    private void onMetrics(MetricBatch batch) {
        Map<String, List<MetricPoint>> byName = pending.computeIfAbsent(batch.runId(), k -> new LinkedHashMap<>());
        for (MetricPoint p : batch.points()) {
            byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
        }
    }

    private void onWarning(RunWarning w) {
        flush(w.runId());
        send(w.runId(), false, event("run-warning", new JsonObject()
                .put("runId", w.runId()).put("kind", w.kind()).put("step", w.step()).put("message", w.message())
                .put("time", w.time())));
    }

    private void onEnded(RunEnded end) {
        flush(end.runId());
        send(end.runId(), false, event("run-ended", new JsonObject()
                .put("runId", end.runId()).put("status", end.status().name()).put("error", end.error())
                .put("endedAt", end.endedAt())));
    }

    private void flushAll() {
        for (String runId : List.copyOf(pending.keySet())) {
            flush(runId);
        }
    }

    private void flush(String runId) {
        Map<String, List<MetricPoint>> byName = pending.remove(runId);
        if (byName == null || byName.isEmpty()) {
            return;
        }
        JsonObject metrics = new JsonObject();
        byName.forEach((name, points) -> metrics.put(name, ApiJson.series(Downsample.lttb(points, MAX_POINTS_PER_FLUSH))));
        send(runId, true, event("metrics", new JsonObject().put("runId", runId).put("metrics", metrics)));
    }

    private void send(String runId, boolean isMetrics, String event) {
        for (Client c : List.copyOf(clients)) {
            if (c.follows(runId) && (!isMetrics || c.wantsMetrics())) {
                write(c, event);
            }
        }
    }

    private void write(Client c, String text) {
        if (c.response().writeQueueFull()) {
            clients.remove(c);
            c.response().reset();
            return;
        }
        c.response().write(text);
    }

    private static String event(String name, JsonObject data) {
        // JSON encoding escapes newlines inside strings, so one data line always suffices.
        return "event: " + name + "\ndata: " + data.encode() + "\n\n";
    }
}
