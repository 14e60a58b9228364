package dev.cnnworkbench.web;

import dev.cnnworkbench.core.sweep.Objective;
import dev.cnnworkbench.storage.RunSummary;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET /api/sweeps}: every sweep in the store, newest first; {@code GET /api/sweeps/ID[?objective=METRIC
 * &direction=max|min]}: one sweep's trials ranked, its swept parameters with their scales, its best trial. Sweeps
 * are read from their trial runs (see {@link SweepView}).
 */
final class SweepApi {

    /** A sweep id as a spec names it; no quotes, so it can go into a filter. */
    private static final Pattern SWEEP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ -]{0,254}");
    /** Trials are named {@code <sweep>-trial-NNN}. */
    private static final String TRIALS = "name like '%-trial-%'";

    private final RunStore store;
    private final WorkerExecutor blocking;

    SweepApi(RunStore store, WorkerExecutor blocking) {
        this.store = store;
        this.blocking = blocking;
    }

    void mount(Router router) {
        router.get("/api/sweeps").handler(ctx -> ApiReply.json(ctx, blocking, this::list));
        router.get("/api/sweeps/:id").handler(ctx -> ApiReply.guarded(ctx, () -> {
            String id = sweepId(ctx.pathParam("id"));
            String metric = param(ctx, "objective");
            String direction = param(ctx, "direction");
            if (metric != null) {
                RunApi.metric(metric);
            }
            if (direction != null && !direction.equalsIgnoreCase("max") && !direction.equalsIgnoreCase("min")) {
                throw new ApiException(400, "query parameter 'direction' must be max or min");
            }
            ApiReply.json(ctx, blocking, () -> one(id, metric, direction));
        }));
    }

    private JsonObject list() {
        Map<String, List<RunSummary>> sweeps = SweepView.bySweep(store.all(TRIALS));
        List<JsonObject> out = sweeps.entrySet().stream().map(e -> SweepView.summary(e.getKey(), e.getValue()))
                .sorted(Comparator.comparing((JsonObject s) -> s.getLong("startedAt", 0L)).reversed()).toList();
        return new JsonObject().put("sweeps", new JsonArray(out));
    }

    private JsonObject one(String id, String metric, String direction) {
        List<RunSummary> trials = store.all("experiment = '" + id + "' and " + TRIALS).stream()
                .filter(r -> SweepView.trialNumber(r) != null).toList();
        if (trials.isEmpty()) {
            throw new ApiException(404, "no sweep with id '" + id + "'");
        }
        Objective objective = SweepView.objective(trials, metric, direction);
        return SweepView.detail(id, trials, objective);
    }

    private static String sweepId(String id) {
        if (id == null || !SWEEP_ID.matcher(id).matches()) {
            throw new ApiException(400, "not a sweep id: expected letters, digits, spaces, '.', '_' or '-'");
        }
        return id;
    }

    private static String param(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        if (values.size() > 1) {
            throw new ApiException(400, "query parameter '" + name + "' given " + values.size() + " times");
        }
        return values.isEmpty() || values.get(0).isBlank() ? null : values.get(0).trim();
    }
}
