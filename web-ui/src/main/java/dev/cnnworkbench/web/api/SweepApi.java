package dev.cnnworkbench.web.api;

import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.SweepStore;
import dev.cnnworkbench.web.ApiException;
import dev.cnnworkbench.web.RunStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET /api/sweeps}: every sweep in the store, most recently started first; {@code GET /api/sweeps/ID
 * [?objective=METRIC&direction=max|min]}: one sweep's trials ranked, its swept parameters with their domains and
 * scales, its ASHA decisions, its best trial and its lineage (the stages it refines, with their ranges). Read from
 * the sweep records (see {@link SweepView}).
 */
public final class SweepApi {

    /** A sweep id as a spec names it; no quotes, so it can go into a filter. */
    private static final Pattern SWEEP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ -]{0,254}");

    private final RunStore store;
    private final WorkerExecutor blocking;

    public SweepApi(RunStore store, WorkerExecutor blocking) {
        this.store = store;
        this.blocking = blocking;
    }

    public void mount(Router router) {
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
        JsonArray out = new JsonArray();
        for (SweepStore.Sweep sweep : store.sweeps().sweeps()) {
            out.add(SweepView.summary(sweep, rows(sweep)));
        }
        return new JsonObject().put("sweeps", out);
    }

    private JsonObject one(String id, String metric, String direction) {
        SweepStore.Sweep sweep = store.sweeps().sweep(id)
                .orElseThrow(() -> new ApiException(404, "no sweep with id '" + id + "'"));
        JsonObject json = SweepView.detail(sweep, rows(sweep), SweepView.objective(sweep, metric, direction),
                store.sweeps().rungs(id));
        // lineage: the stages this one refines, each with its ranges
        JsonArray lineage = new JsonArray();
        java.util.Set<String> seen = new java.util.HashSet<>(List.of(id));
        for (String p = sweep.parentId(); p != null && seen.add(p); ) {
            java.util.Optional<SweepStore.Sweep> parent = store.sweeps().sweep(p);
            if (parent.isEmpty()) {
                lineage.add(new JsonObject().put("id", p).put("recorded", false));
                break;
            }
            List<SweepView.Row> rows = rows(parent.get());
            JsonArray params = new JsonArray();
            for (String name : parent.get().domains().keySet()) {
                params.add(SweepView.param(parent.get(), name, rows));
            }
            lineage.add(new JsonObject().put("id", p).put("recorded", true).put("params", params));
            p = parent.get().parentId();
        }
        return json.put("lineage", lineage).put("children", new JsonArray(store.sweeps().sweeps().stream()
                .filter(s -> id.equals(s.parentId())).map(SweepStore.Sweep::id).toList()));
    }

    /** The sweep's planned trials with their runs. */
    private List<SweepView.Row> rows(SweepStore.Sweep sweep) {
        Map<String, RunSummary> runs = new java.util.HashMap<>();
        store.all("sweep = '" + sweep.id() + "'").forEach(r -> runs.put(r.id(), r));
        return store.sweeps().trials(sweep.id()).stream()
                .map(t -> new SweepView.Row(t, t.runId() == null ? null : runs.get(t.runId()))).toList();
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
