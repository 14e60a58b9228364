package dev.cnnworkbench.web.api;

import dev.cnnworkbench.storage.EnsembleStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An ensemble as the dashboard shows it, read from its record ({@link EnsembleStore}): its members (runs, or snapshot
 * files with their SHA-256) with each one's accuracy, accuracy and loss by number of members, the gain over the best
 * member with the paired test's p-value, and the training it cost. Snapshot points are where a cycle of the snapshot
 * schedule ends: after {@code min(k * ceil(T/M), T)} iterations for T iterations and M cycles (as
 * {@code SnapshotEnsemble} takes them), or the recorded snapshot artifacts' steps. Pure functions.
 */
public final class EnsembleView {

    private EnsembleView() {
    }

    /**
     * {@code {id, name, run, type, combination, accuracy, bestMemberAccuracy, gain, mcnemarP, test, members,
     * budgetSeconds, budgetEpochs, sweep, source, experiment, createdAt}} for the list and the comparison.
     */
    public static JsonObject summary(EnsembleStore.Ensemble e) {
        return new JsonObject().put("id", e.id()).put("name", e.name()).put("runId", e.runId()).put("type", e.kind())
                .put("combination", e.combination()).put("split", e.split()).put("examples", e.examples())
                .put("accuracy", finite(e.accuracy())).put("loss", finite(e.loss()))
                .put("bestMember", e.bestMember() + 1).put("bestMemberAccuracy", finite(e.bestMemberAccuracy()))
                .put("gain", finite(e.gain())).put("test", e.test()).put("mcnemarP", finite(e.pValue()))
                .put("onlyEnsemble", e.onlyEnsemble()).put("onlyBest", e.onlyBest()).put("members", e.members())
                .put("budgetSeconds", finite(e.budgetSeconds())).put("budgetEpochs", finite(e.budgetEpochs()))
                .put("sweep", e.sweepId()).put("source", e.sourceRunId()).put("experiment", e.experiment())
                .put("createdAt", e.createdAt().toEpochMilli());
    }

    /** The members in joining order, each {@code {position, label, runId, artifact, sha256, accuracy, loss}}. */
    public static JsonArray members(List<EnsembleStore.Member> members) {
        JsonArray out = new JsonArray();
        members.forEach(m -> out.add(new JsonObject().put("position", m.position()).put("label", m.label())
                .put("runId", m.runId()).put("artifact", m.artifact()).put("sha256", m.sha256())
                .put("accuracy", finite(m.accuracy())).put("loss", finite(m.loss()))));
        return out;
    }

    /** {@code [{members, accuracy, loss}]}: the ensemble of the first m members, m = 1 to all. */
    public static JsonArray byMembers(List<EnsembleStore.Result> results) {
        JsonArray out = new JsonArray();
        results.forEach(r -> out.add(new JsonObject().put("members", r.members()).put("accuracy", finite(r.accuracy()))
                .put("loss", finite(r.loss()))));
        return out;
    }

    /** Iterations done at the end of each of {@code cycles} cycles of a budget of {@code total} iterations. */
    public static List<Long> snapshotIterations(long total, int cycles) {
        List<Long> out = new ArrayList<>();
        if (total < 1 || cycles < 1) {
            return out;
        }
        long length = (total + cycles - 1) / cycles;
        for (int k = 1; k <= cycles && (k - 1) * length < total; k++) {
            out.add(Math.min(k * length, total));
        }
        return out;
    }

    /** The cycles of a snapshot ensemble: the spec's {@code ensemble.cycles}, else its snapshot schedule's, else 0. */
    public static int cycles(JsonObject spec) {
        if (spec == null) {
            return 0;
        }
        Integer cycles = object(spec, "ensemble").getValue("cycles") instanceof Number n ? n.intValue() : null;
        JsonObject schedule = object(spec, "schedule");
        if (cycles == null && "snapshot".equals(schedule.getString("type"))) {
            cycles = schedule.getValue("cycles") instanceof Number n ? n.intValue() : null;
        }
        return cycles == null ? 0 : cycles;
    }

    /** The object at {@code key}, or an empty one when it is missing or not an object. */
    public static JsonObject object(JsonObject json, String key) {
        return json.getValue(key) instanceof JsonObject o ? o : new JsonObject();
    }

    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }
}
