package dev.cnnworkbench.web;

import dev.cnnworkbench.storage.MetricHistory;
import dev.cnnworkbench.storage.RunQuery;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.StoredArtifact;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/ensembles}: the runs that recorded an ensemble, newest first; {@code GET /api/ensembles/RUN_ID}:
 * one of them with its members' accuracies, accuracy against the number of members and, for a snapshot ensemble,
 * the learning-rate curve of the run the snapshots came from with the snapshot points (see {@link EnsembleView}).
 */
final class EnsembleApi {

    static final int LIST_LIMIT = 1_000;
    static final int LR_POINTS = 2_000;
    private static final String ENSEMBLES = "metrics." + EnsembleView.ACCURACY + " is not null";

    private final RunStore store;
    private final WorkerExecutor blocking;

    EnsembleApi(RunStore store, WorkerExecutor blocking) {
        this.store = store;
        this.blocking = blocking;
    }

    void mount(Router router) {
        router.get("/api/ensembles").handler(ctx -> ApiReply.json(ctx, blocking, this::list));
        router.get("/api/ensembles/:id").handler(ctx -> ApiReply.guarded(ctx, () -> {
            String id = RunApi.runId(ctx.pathParam("id"));
            ApiReply.json(ctx, blocking, () -> one(id));
        }));
    }

    private JsonObject list() {
        JsonArray out = new JsonArray();
        store.find(new RunQuery(ENSEMBLES, RunQuery.DEFAULT_SORT, true, 0, LIST_LIMIT)).runs()
                .forEach(r -> out.add(EnsembleView.summary(r)));
        return new JsonObject().put("ensembles", out);
    }

    private JsonObject one(String id) {
        RunSummary run = store.run(id).orElseThrow(() -> new ApiException(404, "no run with id '" + id + "'")).summary();
        if (!run.metrics().containsKey(EnsembleView.ACCURACY) && !run.metrics().containsKey("member_test_accuracy")) {
            throw new ApiException(404, "run '" + id + "' recorded no ensemble");
        }
        JsonObject spec = spec(id);
        String type = EnsembleView.type(run, spec);
        JsonObject snapshot = "snapshot".equals(type) ? snapshot(run, spec) : null;
        List<Long> points = snapshot == null ? List.of()
                : snapshot.getJsonArray("points").stream().map(p -> ((Number) p).longValue()).toList();
        return EnsembleView.summary(run).put("type", type)
                .put("memberResults", EnsembleView.members(store.fullHistory(id, "member_test_accuracy"), spec, points))
                .put("byMembers", EnsembleView.byMembers(store.fullHistory(id, "ensemble_accuracy_by_members")))
                .put("snapshot", snapshot);
    }

    /**
     * The learning rate of the run the snapshots came from (this run, or the one an ensemble run's members name)
     * and the snapshot points on it: {@code {runId, cycles, iterations, points, lr}}; {@code null} without an lr.
     */
    private JsonObject snapshot(RunSummary run, JsonObject spec) {
        String source = run.metrics().containsKey("lr") ? run.id() : sourceRun(spec).orElse(null);
        if (source == null) {
            return null;
        }
        MetricHistory lr = store.histories(List.of(source), "lr", LR_POINTS).get(0);
        if (lr.points().isEmpty()) {
            return null;
        }
        JsonObject sourceSpec = source.equals(run.id()) ? spec : spec(source);
        long iterations = Math.max(lr.totalPoints(), lr.points().get(lr.points().size() - 1).step() + 1);
        List<Long> saved = store.artifacts(source).stream().filter(a -> "snapshot".equals(a.kind()))
                .map(StoredArtifact::step).filter(s -> s != null).toList();
        int cycles = EnsembleView.cycles(sourceSpec);
        if (cycles == 0) {
            cycles = (int) Math.round(run.metrics().getOrDefault("ensemble_members", 0.0));
        }
        List<Long> points = !saved.isEmpty() ? saved : EnsembleView.snapshotIterations(iterations, cycles);
        return new JsonObject().put("runId", source).put("cycles", cycles).put("iterations", iterations)
                .put("points", new JsonArray(points)).put("lr", ApiJson.series(lr.points()));
    }

    /** The one run whose snapshots an ensemble run's members are ({@code RUN/snapshot-3.zip}), if they share one. */
    private static Optional<String> sourceRun(JsonObject spec) {
        JsonArray members = spec == null ? null
                : EnsembleView.object(spec, "ensemble").getValue("members") instanceof JsonArray a ? a : null;
        if (members == null || members.isEmpty()) {
            return Optional.empty();
        }
        List<String> runs = members.stream().map(String::valueOf).map(m -> m.contains("/") ? m.substring(0, m.indexOf('/')) : "")
                .distinct().toList();
        return runs.size() == 1 && !runs.get(0).isEmpty() ? Optional.of(runs.get(0)) : Optional.empty();
    }

    private JsonObject spec(String runId) {
        String text = store.spec(runId).orElse(null);
        if (text == null) {
            return null;
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }
}
