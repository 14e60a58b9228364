package dev.cnnworkbench.web.api;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.storage.RunGroup;
import dev.cnnworkbench.storage.RunPage;
import dev.cnnworkbench.storage.RunQuery;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.web.ApiException;
import dev.cnnworkbench.web.RunStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The read side of the REST API: runs (filtered, sorted and paged by the store, see {@link RunListQuery}), the runs
 * counted by experiment and sweep (the runs page's groups), one run,
 * metric histories (one metric of several runs, or several at once for a grid of panels; optionally a range of
 * steps, for a zoomed chart, and without the epoch and time columns). Every store call runs on the
 * given worker executor, unordered, so a slow query never holds an event loop nor queues the
 * requests behind it. Refusals are {@link ApiException}s; the router's failure handler renders them.
 */
public final class RunApi {

    public static final int DEFAULT_POINTS = 2_000;
    public static final int MAX_POINTS = 100_000;
    public static final int MAX_RUNS_PER_REQUEST = 100;
    public static final int MAX_METRICS_PER_REQUEST = 20;

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,99}");

    private final RunStore store;
    private final WorkerExecutor blocking;

    public RunApi(RunStore store, WorkerExecutor blocking) {
        this.store = store;
        this.blocking = blocking;
    }

    public void mount(Router router) {
        router.get("/api/runs").handler(ctx -> ApiReply.guarded(ctx, () -> {
            RunQuery query = RunListQuery.from(ctx);
            ApiReply.json(ctx, blocking, () -> runs(query));
        }));
        router.get("/api/run-groups").handler(ctx -> ApiReply.guarded(ctx, () -> {
            String filter = RunListQuery.from(ctx).filter();
            ApiReply.json(ctx, blocking, () -> groups(filter));
        }));
        router.get("/api/runs/:id").handler(ctx -> {
            String id = runId(ctx.pathParam("id"));
            answer(ctx, () -> run(id));
        });
        router.get("/api/runs/:id/metrics").handler(ctx -> {
            String id = runId(ctx.pathParam("id"));
            Optional<List<String>> names = list(ctx, "names").map(l -> l.stream().map(RunApi::metric).toList());
            int points = points(ctx);
            answerJson(ctx, () -> runMetrics(id, names, points));
        });
        router.get("/api/metrics").handler(ctx -> {
            List<String> ids = list(ctx, "runs").orElseThrow(() -> new ApiException(400,
                    "query parameter 'runs' is required: a comma-separated list of run ids"))
                    .stream().map(RunApi::runId).toList();
            if (ids.size() > MAX_RUNS_PER_REQUEST) {
                throw new ApiException(400, "at most " + MAX_RUNS_PER_REQUEST + " runs per request, got " + ids.size());
            }
            Optional<List<String>> names = list(ctx, "names").map(l -> l.stream().map(RunApi::metric).toList());
            if (names.isPresent() && names.get().size() > MAX_METRICS_PER_REQUEST) {
                throw new ApiException(400, "at most " + MAX_METRICS_PER_REQUEST + " metrics per request, got "
                        + names.get().size());
            }
            Optional<String> name = single(ctx, "name").map(RunApi::metric);
            if (names.isPresent() == name.isPresent()) {
                throw new ApiException(400, "query parameter 'name' is required: the metric to overlay, e.g. train_loss"
                        + " (or 'names': several, comma-separated, and not both)");
            }
            int points = points(ctx);
            SeriesJson.Columns columns = columns(ctx);
            long from = step(ctx, "from", Long.MIN_VALUE);
            long to = step(ctx, "to", Long.MAX_VALUE);
            if (from > to) {
                throw new ApiException(400, "query parameter 'from' (" + from + ") must not be after 'to' (" + to + ")");
            }
            answerJson(ctx, () -> name.isPresent() ? overlay(ids, name.get(), points, columns, from, to)
                    : overlays(ids, names.get(), points, columns, from, to));
        });
    }

    /** One page of runs: {@code {runs, total, offset, limit, hasMore}}. */
    private JsonObject runs(RunQuery query) {
        RunPage page = store.find(query);
        JsonArray runs = new JsonArray();
        for (RunSummary run : page.runs()) {
            runs.add(ApiJson.summary(run));
        }
        return new JsonObject().put("runs", runs).put("total", page.total()).put("offset", page.offset())
                .put("limit", page.limit()).put("hasMore", page.hasMore());
    }

    /**
     * The matching runs counted by experiment and sweep: {@code {groups: [{experiment, sweep, runs, running, latestStart}],
     * total}}, the most recently active first; {@code sweep} is null for runs of no sweep.
     */
    private JsonObject groups(String filter) {
        JsonArray groups = new JsonArray();
        long total = 0;
        for (RunGroup g : store.groups(filter)) {
            groups.add(new JsonObject().put("experiment", g.experiment()).put("sweep", g.sweepId())
.put("runs", g.runs()).put("running", g.running())
                    .put("latestStart", g.latestStart() == null ? null : g.latestStart().toEpochMilli()));
            total += g.runs();
        }
        return new JsonObject().put("groups", groups).put("total", total);
    }

    private JsonObject run(String id) {
        return ApiJson.detail(store.run(id).orElseThrow(() -> noSuchRun(id)));
    }

    /** {@code {runId, metrics: {name: series}}}. */
    private Buffer runMetrics(String id, Optional<List<String>> names, int points) {
        RunSummary run = store.run(id).orElseThrow(() -> noSuchRun(id)).summary();
        List<String> metrics = names.orElseGet(() -> List.copyOf(run.metrics().keySet()));
        List<List<MetricPoint>> series = metrics.stream().map(name -> store.history(id, name, points)).toList();
        return SeriesJson.object("runId", id, "metrics", metrics, series);
    }

    /** {@code {name, runs: {id: series}}}. */
    private Buffer overlay(List<String> ids, String name, int points, SeriesJson.Columns columns, long from, long to) {
        requireRuns(ids);
        return SeriesJson.object("name", name, "runs", ids, store.overlay(ids, name, points, from, to), columns);
    }

    /** {@code {metrics: {name: {id: series}}}}: every panel of a compare grid in one request. */
    private Buffer overlays(List<String> ids, List<String> names, int points, SeriesJson.Columns columns, long from,
                            long to) {
        requireRuns(ids);
        List<List<List<MetricPoint>>> series = names.stream().map(n -> store.overlay(ids, n, points, from, to)).toList();
        return SeriesJson.metrics(names, ids, series, columns);
    }

    private void requireRuns(List<String> ids) {
        List<String> missing = store.missing(ids);
        if (!missing.isEmpty()) {
            throw new ApiException(404, missing.size() == 1 ? "no run with id '" + missing.get(0) + "'"
                    : "no runs with ids " + missing.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", ")));
        }
    }

    /** Answers with JSON text made on the worker pool (long series: the event loop only sends it). */
    private void answerJson(RoutingContext ctx, Callable<Buffer> query) {
        blocking.executeBlocking(query, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().putHeader("Content-Type", "application/json").end(ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    private void answer(RoutingContext ctx, Callable<JsonObject> query) {
        blocking.executeBlocking(query, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.json(ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    private static ApiException noSuchRun(String id) {
        return new ApiException(404, "no run with id '" + id + "'");
    }

    public static String runId(String id) {
        if (id == null || !RUN_ID.matcher(id).matches()) {
            throw new ApiException(400, "not a run id: expected letters, digits, '.', '_' or '-' (at most 64)");
        }
        return id;
    }

    public static String metric(String name) {
        if (!METRIC.matcher(name).matches()) {
            throw new ApiException(400, "not a metric name: expected letters, digits and _.:/- (at most 100)");
        }
        return name;
    }

    private static int points(RoutingContext ctx) {
        Optional<String> raw = single(ctx, "points");
        if (raw.isEmpty()) {
            return DEFAULT_POINTS;
        }
        try {
            int n = Integer.parseInt(raw.get());
            if (n >= 3 && n <= MAX_POINTS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal below
        }
        throw new ApiException(400, "query parameter 'points' must be an integer from 3 to " + MAX_POINTS);
    }

    /** {@code fields=step,epoch,time,value}: the columns wanted (step and value always come); all when absent. */
    private static SeriesJson.Columns columns(RoutingContext ctx) {
        Optional<List<String>> fields = list(ctx, "fields");
        if (fields.isEmpty()) {
            return SeriesJson.Columns.ALL;
        }
        for (String f : fields.get()) {
            if (!List.of("step", "epoch", "time", "value").contains(f)) {
                throw new ApiException(400, "query parameter 'fields' names '" + f
                        + "': expected some of step, epoch, time, value");
            }
        }
        return new SeriesJson.Columns(fields.get().contains("epoch"), fields.get().contains("time"));
    }

    /** A step bound ({@code from}, {@code to}), or {@code absent}. */
    private static long step(RoutingContext ctx, String name, long absent) {
        Optional<String> raw = single(ctx, name);
        if (raw.isEmpty()) {
            return absent;
        }
        try {
            return Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "query parameter '" + name + "' must be a step (a whole number), got '"
                    + raw.get() + "'");
        }
    }

    private static Optional<String> single(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        if (values.size() > 1) {
            throw new ApiException(400, "query parameter '" + name + "' given " + values.size() + " times");
        }
        return values.isEmpty() || values.get(0).isBlank() ? Optional.empty() : Optional.of(values.get(0).trim());
    }

    /** A comma-separated parameter (also accepted repeated), blanks dropped, order kept. */
    public static Optional<List<String>> list(RoutingContext ctx, String name) {
        Set<String> out = new LinkedHashSet<>();
        for (String value : ctx.queryParam(name)) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(new ArrayList<>(out));
    }
}
