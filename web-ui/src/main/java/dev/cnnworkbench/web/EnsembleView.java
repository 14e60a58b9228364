package dev.cnnworkbench.web;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.storage.RunSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An ensemble as the dashboard shows it, read from the run that recorded it: a snapshot-ensemble training run
 * ({@code "ensemble": {"type": "snapshot"}} in its spec) or a {@code workbench ensemble} run. Both record
 * {@code ensemble_*} summary metrics and two series whose step is a count: {@code member_test_accuracy} (step k:
 * member k alone) and {@code ensemble_accuracy_by_members} (step m: the ensemble of the first m members; for
 * snapshots the newest m). Snapshot points are where a cycle of the snapshot schedule ends: after
 * {@code min(k * ceil(T/M), T)} iterations for T iterations and M cycles (as {@code SnapshotEnsemble} takes them),
 * or the recorded snapshot artifacts' steps when the snapshots were saved. Pure functions.
 */
final class EnsembleView {

    /** The metric that marks a run as an ensemble. */
    static final String ACCURACY = "ensemble_test_accuracy";

    private EnsembleView() {
    }

    /** {@code {run, type, accuracy, bestMemberAccuracy, gain, mcnemarP, members}} for the list of ensembles. */
    static JsonObject summary(RunSummary run) {
        return new JsonObject().put("run", ApiJson.summary(run)).put("type", type(run, null))
                .put("accuracy", finite(run.metrics().get(ACCURACY)))
                .put("bestMemberAccuracy", finite(run.metrics().get("ensemble_best_member_accuracy")))
                .put("gain", finite(run.metrics().get("ensemble_gain")))
                .put("mcnemarP", finite(run.metrics().get("ensemble_mcnemar_p")))
                .put("members", finite(run.metrics().get("ensemble_members")));
    }

    /** {@code snapshot} or {@code independent}, from the run's parameters or spec. */
    static String type(RunSummary run, JsonObject spec) {
        Object param = run.params().get("ensemble.type");
        if (param != null) {
            return String.valueOf(param);
        }
        String fromSpec = spec == null ? null : object(spec, "ensemble").getValue("type") instanceof String t ? t : null;
        return fromSpec != null ? fromSpec : "snapshot";
    }

    /**
     * The members in joining order, each {@code {position, label, accuracy}}; labels from the spec's member list
     * (an ensemble run) or the snapshot points (newest first), else {@code member k}.
     */
    static JsonArray members(List<MetricPoint> memberAccuracy, JsonObject spec, List<Long> snapshotIterations) {
        JsonArray names = spec == null ? null : object(spec, "ensemble").getValue("members") instanceof JsonArray a ? a : null;
        JsonArray out = new JsonArray();
        for (MetricPoint p : memberAccuracy) {
            int k = (int) p.step();
            String label;
            if (names != null && k >= 1 && k <= names.size()) {
                label = String.valueOf(names.getValue(k - 1));
            } else if (k >= 1 && k <= snapshotIterations.size()) {
                int index = snapshotIterations.size() - k + 1;
                label = String.format(Locale.ROOT, "snapshot %d (iteration %d)", index, snapshotIterations.get(index - 1));
            } else {
                label = "member " + k;
            }
            out.add(new JsonObject().put("position", k).put("label", label).put("accuracy", finite(p.value())));
        }
        return out;
    }

    /** {@code [{members, accuracy}]} from {@code ensemble_accuracy_by_members}. */
    static JsonArray byMembers(List<MetricPoint> points) {
        JsonArray out = new JsonArray();
        points.forEach(p -> out.add(new JsonObject().put("members", p.step()).put("accuracy", finite(p.value()))));
        return out;
    }

    /** Iterations done at the end of each of {@code cycles} cycles of a budget of {@code total} iterations. */
    static List<Long> snapshotIterations(long total, int cycles) {
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
    static int cycles(JsonObject spec) {
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
    static JsonObject object(JsonObject json, String key) {
        return json.getValue(key) instanceof JsonObject o ? o : new JsonObject();
    }

    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }
}
