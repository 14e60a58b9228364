package dev.cnnworkbench.web.api;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.StoredArtifact;
import dev.cnnworkbench.storage.StoredWarning;
import dev.cnnworkbench.web.RunStore;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * How runs and metrics look in the API's JSON. Times are epoch milliseconds. JSON has no NaN or
 * infinity: a non-finite metric value is written as {@code null} (a gap in a chart), never as a
 * string a chart would misread.
 */
public final class ApiJson {

    private ApiJson() {
    }

    public static JsonObject summary(RunSummary run) {
        JsonObject params = new JsonObject();
        run.params().forEach((k, v) -> params.put(k, v instanceof Double d ? number(d) : v));
        JsonObject metrics = new JsonObject();
        run.metrics().forEach((k, v) -> metrics.put(k, number(v)));
        return new JsonObject()
                .put("id", run.id())
                .put("name", run.name())
                .put("experiment", run.experiment())
                .put("status", run.status().name())
                .put("user", run.user())
                .put("host", run.host())
                .put("startedAt", millis(run.startedAt()))
                .put("endedAt", millis(run.endedAt()))
                .put("error", run.error())
                .put("params", params)
                .put("metrics", metrics)
                .put("tags", new JsonArray(List.copyOf(run.tags())))
                .put("notes", run.notes());
    }

    public static JsonObject detail(RunStore.RunDetail detail) {
        JsonArray warnings = new JsonArray();
        detail.warnings().forEach(w -> warnings.add(warning(w)));
        JsonArray artifacts = new JsonArray();
        detail.artifacts().forEach(a -> artifacts.add(artifact(a)));
        return summary(detail.summary())
                .put("spec", parseOrText(detail.specJson()))
                .put("provenance", parseOrText(detail.provenanceJson()))
                .put("warnings", warnings)
                .put("artifacts", artifacts);
    }

    /** {@code {id, kind, step, message, created}}. */
    public static JsonObject warning(StoredWarning w) {
        return new JsonObject().put("id", w.id()).put("kind", w.kind()).put("step", w.step()).put("message", w.message())
                .put("created", millis(w.createdAt()));
    }

    /**
     * {@code {id, kind, name, size, sha256, mediaType, step, epoch, created, url}}; {@code url} downloads the file.
     * Where the file lies on the server is not shown.
     */
    public static JsonObject artifact(StoredArtifact a) {
        return new JsonObject().put("id", a.id()).put("kind", a.kind()).put("name", a.name()).put("size", a.sizeBytes())
                .put("sha256", a.sha256()).put("mediaType", a.mediaType()).put("step", a.step()).put("epoch", a.epoch())
                .put("created", millis(a.createdAt())).put("url", ArtifactApi.PATH_PREFIX + a.id());
    }

    /** A series as columns, the shape charts draw from: {@code {step: [], epoch: [], time: [], value: []}}. */
    public static JsonObject series(List<MetricPoint> points) {
        JsonArray step = new JsonArray();
        JsonArray epoch = new JsonArray();
        JsonArray time = new JsonArray();
        JsonArray value = new JsonArray();
        for (MetricPoint p : points) {
            step.add(p.step());
            epoch.add(p.epoch());
            time.add(p.time());
            value.add(number(p.value()));
        }
        return new JsonObject().put("step", step).put("epoch", epoch).put("time", time).put("value", value);
    }

    public static JsonObject error(String message, String path) {
        JsonObject json = new JsonObject().put("error", message);
        if (path != null) {
            json.put("path", path);
        }
        return json;
    }

    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    /** Stored JSON as an object; text that is not a JSON object is returned as the string it is. */
    private static Object parseOrText(String json) {
        if (json == null) {
            return null;
        }
        try {
            return new JsonObject(json);
        } catch (DecodeException | ClassCastException e) {
            return json;
        }
    }
}
