package dev.cnnworkbench.web.api;

import dev.cnnworkbench.storage.EnsembleStore;
import dev.cnnworkbench.storage.MetricHistory;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.StoredArtifact;
import dev.cnnworkbench.web.ApiException;
import dev.cnnworkbench.web.RunStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * {@code GET /api/ensembles}: every recorded ensemble, newest first, with its gain over its best member, the test's
 * p-value and the training budget it cost; {@code GET /api/ensembles/ID} (an ensemble id, or the id of the run that
 * recorded it): one of them with its members, accuracy by number of members and, for a snapshot ensemble, the
 * learning-rate curve of the run the snapshots came from with the snapshot points. Read from the ensemble records
 * (see {@link EnsembleView}), never from metric series.
 */
public final class EnsembleApi {

    public static final int LIST_LIMIT = 1_000;
    public static final int LR_POINTS = 2_000;

    private final RunStore store;
    private final WorkerExecutor blocking;

    public EnsembleApi(RunStore store, WorkerExecutor blocking) {
        this.store = store;
        this.blocking = blocking;
    }

    public void mount(Router router) {
        router.get("/api/ensembles").handler(ctx -> ApiReply.json(ctx, blocking, this::list));
        router.get("/api/ensembles/:id").handler(ctx -> ApiReply.guarded(ctx, () -> {
            String id = RunApi.runId(ctx.pathParam("id"));
            ApiReply.json(ctx, blocking, () -> one(id));
        }));
    }

    private JsonObject list() {
        JsonArray out = new JsonArray();
        store.ensembles().ensembles().stream().limit(LIST_LIMIT).forEach(e -> out.add(EnsembleView.summary(e)));
        return new JsonObject().put("ensembles", out);
    }

    private JsonObject one(String id) {
        EnsembleStore.Ensemble e = store.ensembles().ensemble(id)
                .orElseThrow(() -> new ApiException(404, "no ensemble with id '" + id + "' (nor a run that recorded one)"));
        RunSummary run = store.run(e.runId()).orElseThrow(() -> new ApiException(404, "no run with id '" + e.runId() + "'"))
                .summary();
        JsonObject snapshot = "snapshot".equals(e.kind()) && e.sourceRunId() != null ? snapshot(e.sourceRunId(), e.members())
                : null;
        return EnsembleView.summary(e).put("run", ApiJson.summary(run))
                .put("memberResults", EnsembleView.members(store.ensembles().members(e.id())))
                .put("byMembers", EnsembleView.byMembers(store.ensembles().results(e.id())))
                .put("snapshot", snapshot);
    }

    /**
     * The learning rate of the run the snapshots came from (this run, or the one an ensemble run's members name)
     * and the snapshot points on it: {@code {runId, cycles, iterations, points, lr}}; {@code null} without an lr.
     */
    private JsonObject snapshot(String source, int members) {
        MetricHistory lr = store.histories(List.of(source), "lr", LR_POINTS).get(0);
        if (lr.points().isEmpty()) {
            return null;
        }
        JsonObject sourceSpec = spec(source);
        long iterations = Math.max(lr.totalPoints(), lr.points().get(lr.points().size() - 1).step() + 1);
        List<Long> saved = store.artifacts(source).stream().filter(a -> "snapshot".equals(a.kind()))
                .map(StoredArtifact::step).filter(s -> s != null).toList();
        int cycles = EnsembleView.cycles(sourceSpec);
        if (cycles == 0) {
            cycles = members;
        }
        List<Long> points = !saved.isEmpty() ? saved : EnsembleView.snapshotIterations(iterations, cycles);
        return new JsonObject().put("runId", source).put("cycles", cycles).put("iterations", iterations)
                .put("points", new JsonArray(points)).put("lr", ApiJson.series(lr.points()));
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
