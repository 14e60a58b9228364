package dev.cnnworkbench.web.mlflow;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.mlflow.MlflowExperiment;
import dev.cnnworkbench.storage.mlflow.MlflowRuns;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The JSON of MLflow's messages (service.proto, as MLflow's server writes them): experiments, runs with their info
 * and data, metrics. Statuses: a workbench run {@code INTERRUPTED} or {@code STOPPED} is MLflow's {@code KILLED}; an
 * MLflow {@code KILLED} is recorded {@code STOPPED}.
 */
final class MlflowJson {

    private MlflowJson() {
    }

    static JsonObject experiment(MlflowExperiment e) {
        JsonArray tags = new JsonArray();
        e.tags().forEach((k, v) -> tags.add(tag(k, v)));
        if (e.description() != null) {
            tags.add(tag(MlflowRuns.NOTE, e.description()));
        }
        return new JsonObject().put("experiment_id", Long.toString(e.id())).put("name", e.name())
                .put("artifact_location", "mlflow-artifacts:/" + e.id())
                .put("lifecycle_stage", e.deleted() ? "deleted" : "active")
                .put("last_update_time", e.updatedAt()).put("creation_time", e.createdAt()).put("tags", tags);
    }

    static JsonObject info(RunSummary run, MlflowRuns.Extra extra) {
        JsonObject info = new JsonObject().put("run_id", run.id()).put("run_uuid", run.id()).put("run_name", run.name())
                .put("experiment_id", Long.toString(extra.experimentId())).put("user_id", run.user() == null ? "" : run.user())
                .put("status", status(run.status())).put("start_time", run.startedAt().toEpochMilli())
                .put("artifact_uri", "mlflow-artifacts:/" + extra.experimentId() + "/" + run.id() + "/artifacts")
                .put("lifecycle_stage", extra.deleted() ? "deleted" : "active");
        if (run.endedAt() != null) {
            info.put("end_time", run.endedAt().toEpochMilli());
        }
        return info;
    }

    static JsonObject run(RunSummary run, MlflowRuns.Extra extra) {
        JsonArray metrics = new JsonArray();
        extra.metrics().forEach(p -> metrics.add(metric(p)));
        JsonArray params = new JsonArray();
        extra.params().forEach((k, v) -> params.add(new JsonObject().put("key", k).put("value", v)));
        JsonArray tags = new JsonArray();
        run.tags().forEach(t -> tags.add(tag(t, "")));
        extra.tags().forEach((k, v) -> tags.add(tag(k, v)));
        tags.add(tag(MlflowRuns.RUN_NAME, run.name()));
        if (run.user() != null) {
            tags.add(tag(MlflowRuns.USER, run.user()));
        }
        if (run.notes() != null) {
            tags.add(tag(MlflowRuns.NOTE, run.notes()));
        }
        return new JsonObject().put("info", info(run, extra))
                .put("data", new JsonObject().put("metrics", metrics).put("params", params).put("tags", tags))
                .put("inputs", new JsonObject());
    }

    static JsonObject metric(MetricPoint p) {
        return new JsonObject().put("key", p.name()).put("value", number(p.value())).put("timestamp", p.time())
                .put("step", p.step());
    }

    /** A double as protobuf JSON writes it: NaN and infinities as strings, as no JSON number can hold them. */
    static Object number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        return v;
    }

    private static JsonObject tag(String key, String value) {
        return new JsonObject().put("key", key).put("value", value);
    }

    static String status(RunStatus s) {
        return switch (s) {
            case RUNNING -> "RUNNING";
            case FINISHED -> "FINISHED";
            case FAILED -> "FAILED";
            case INTERRUPTED, STOPPED -> "KILLED";
        };
    }

    /** An MLflow status as the workbench records it; {@code null} for one it does not know. */
    static RunStatus status(String mlflow) {
        return switch (mlflow) {
            case "RUNNING", "SCHEDULED" -> RunStatus.RUNNING;
            case "FINISHED" -> RunStatus.FINISHED;
            case "FAILED" -> RunStatus.FAILED;
            case "KILLED" -> RunStatus.STOPPED;
            default -> null;
        };
    }

    static Map<String, String> keyValues(java.util.List<JsonObject> list, String field) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonObject o = list.get(i);
            Object key = o.getValue("key");
            if (!(key instanceof String k) || k.isEmpty()) {
                throw MlflowException.invalid("Missing value for required parameter '" + field + "[" + i + "].key'");
            }
            Object value = o.getValue("value");
            out.put(k, value == null ? "" : value.toString());
        }
        return out;
    }
}
