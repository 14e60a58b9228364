package dev.cnnworkbench.web.mlflow;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.storage.FilterException;
import dev.cnnworkbench.storage.RunPage;
import dev.cnnworkbench.storage.RunQuery;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.mlflow.MlflowExperiment;
import dev.cnnworkbench.storage.mlflow.MlflowExperiments;
import dev.cnnworkbench.storage.mlflow.MlflowRuns;
import dev.cnnworkbench.web.RunStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reading runs for MLflow clients: one run, a search (MLflow's filter translated by {@link MlflowFilter} and run by the
 * workbench's own run query, so sorting and paging are the dashboard's), a metric's history. Blocking: call on a
 * worker thread.
 */
final class RunSearch {

    /**
     * A search as MLflow asks it.
     *
     * @param experimentIds the experiments to search; empty: every active one
     * @param view          ACTIVE_ONLY, DELETED_ONLY or ALL
     * @param sort          the workbench sort key; {@code descending} its direction
     */
    record Request(List<Long> experimentIds, String filter, String view, String sort, boolean descending, int offset,
                   int max) {
    }

    private final RunStore store;
    private final MlflowExperiments experiments;
    private final MlflowRuns runs;

    RunSearch(RunStore store, MlflowExperiments experiments, MlflowRuns runs) {
        this.store = store;
        this.experiments = experiments;
        this.runs = runs;
    }

    /** Reads and checks a search request (on the event loop: no store access). */
    static Request request(MlflowRequest req) {
        List<Long> ids = new ArrayList<>();
        req.strings("experiment_ids").forEach(id -> ids.add(ExperimentRoutes.id(id)));
        String view = req.string("run_view_type") == null ? "ACTIVE_ONLY" : req.string("run_view_type");
        view = switch (view) {
            case "ACTIVE_ONLY", "1" -> "ACTIVE_ONLY";
            case "DELETED_ONLY", "2" -> "DELETED_ONLY";
            case "ALL", "3" -> "ALL";
            default -> throw MlflowException.invalid("run_view_type must be ACTIVE_ONLY, DELETED_ONLY or ALL, got '"
                    + view + "'");
        };
        List<String> order = req.strings("order_by");
        String sort = RunQuery.DEFAULT_SORT;
        boolean descending = true;
        if (!order.isEmpty()) {
            String[] parts = order.get(0).trim().split("\\s+(?=(?i:ASC|DESC)$)");
            sort = sortKey(parts[0]);
            descending = parts.length > 1 && "DESC".equalsIgnoreCase(parts[1]);
        }
        return new Request(ids, req.string("filter"), view, sort, descending, req.pageOffset(), req.maxResults(1000, 50_000));
    }

    private static String sortKey(String key) {
        String k = key.trim();
        int dot = k.indexOf('.');
        String entity = dot < 0 ? "attributes" : k.substring(0, dot).toLowerCase(Locale.ROOT);
        String name = (dot < 0 ? k : k.substring(dot + 1)).replaceAll("^[`\"]|[`\"]$", "");
        return switch (entity) {
            case "metric", "metrics" -> "metrics.`" + name + "`";
            case "param", "params", "parameter", "parameters" -> "params.`" + name + "`";
            case "attribute", "attributes", "attr", "run" -> switch (name) {
                case "start_time", "created" -> "started_at";
                case "end_time" -> "ended_at";
                case "run_name" -> "name";
                case "status" -> "status";
                case "run_id" -> "id";
                case "user_id" -> "user";
                default -> throw MlflowException.invalid("invalid order_by '" + key + "': attributes sort by start_time,"
                        + " end_time, run_name, status, run_id or user_id");
            };
            default -> throw MlflowException.invalid("invalid order_by '" + key + "': sort by metrics., params. or"
                    + " attributes.");
        };
    }

    JsonObject search(Request request) {
        List<String> names = new ArrayList<>();
        if (request.experimentIds().isEmpty()) {
            experiments.search(null, List.of("active"), "mlflow_id", 0, Integer.MAX_VALUE).forEach(e -> names.add(e.name()));
        } else {
            for (long id : request.experimentIds()) {
                experiments.byId(id).map(MlflowExperiment::name).ifPresent(names::add);
            }
        }
        if (names.isEmpty()) {
            return new JsonObject().put("runs", new JsonArray());
        }
        List<String> where = new ArrayList<>();
        where.add("experiment in (" + String.join(", ", names.stream().map(MlflowFilter::quote).toList()) + ")");
        String translated = MlflowFilter.translate(request.filter(), runs::withTag);
        if (!translated.isEmpty()) {
            where.add("(" + translated + ")");
        }
        if (!"ALL".equals(request.view())) {
            Set<String> deleted = new LinkedHashSet<>(runs.inStage("deleted", names));
            if ("DELETED_ONLY".equals(request.view())) {
                where.add(MlflowFilter.idIn(deleted));
            } else if (!deleted.isEmpty()) {
                where.add("not " + MlflowFilter.idIn(deleted));
            }
        }
        RunPage page;
        try {
            page = store.find(new RunQuery(String.join(" and ", where), request.sort(), request.descending(),
                    request.offset(), request.max()));
        } catch (FilterException e) {
            throw MlflowException.invalid("invalid filter '" + request.filter() + "': " + e.getMessage());
        }
        JsonObject out = new JsonObject().put("runs", render(page.runs()));
        if (page.hasMore()) {
            out.put("next_page_token", MlflowRequest.pageToken(request.offset() + page.runs().size()));
        }
        return out;
    }

    /** One run in MLflow's shape; RESOURCE_DOES_NOT_EXIST when there is none. */
    JsonObject one(String runId) {
        List<RunSummary> found = store.find(new RunQuery(MlflowFilter.idIn(Set.of(runId)), RunQuery.DEFAULT_SORT, false,
                0, 1)).runs();
        if (found.isEmpty()) {
            throw new MlflowException(MlflowException.Code.RESOURCE_DOES_NOT_EXIST, "Run with id=" + runId + " not found");
        }
        return render(found).getJsonObject(0);
    }

    private JsonArray render(List<RunSummary> page) {
        Map<String, MlflowRuns.Extra> extras = runs.extras(page.stream().map(RunSummary::id).toList());
        JsonArray out = new JsonArray();
        for (RunSummary run : page) {
            MlflowRuns.Extra extra = extras.get(run.id());
            if (extra != null) {
                out.add(MlflowJson.run(run, extra));
            }
        }
        return out;
    }

    JsonObject history(String runId, String metric, int offset, int max) {
        if (runs.state(runId).isEmpty()) {
            throw new MlflowException(MlflowException.Code.RESOURCE_DOES_NOT_EXIST, "Run with id=" + runId + " not found");
        }
        List<MetricPoint> points = store.fullHistory(runId, metric);
        JsonArray out = new JsonArray();
        int end = (int) Math.min(points.size(), (long) offset + max);
        for (int i = Math.min(offset, points.size()); i < end; i++) {
            out.add(MlflowJson.metric(points.get(i)));
        }
        JsonObject reply = new JsonObject().put("metrics", out);
        if (end < points.size()) {
            reply.put("next_page_token", MlflowRequest.pageToken(end));
        }
        return reply;
    }
}
