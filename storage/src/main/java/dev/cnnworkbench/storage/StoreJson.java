package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.RunStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of the store's answers on the bus (see the {@code STORE_*} addresses of
 * {@link dev.cnnworkbench.core.bus.Addresses}): runs and pages, both ways. Stateless.
 */
final class StoreJson {

    private StoreJson() {
    }

    static JsonObject page(RunPage page) {
        JsonArray runs = new JsonArray();
        page.runs().forEach(r -> runs.add(run(r)));
        return new JsonObject().put("runs", runs).put("total", page.total()).put("offset", page.offset())
                .put("limit", page.limit());
    }

    static RunPage page(JsonObject json) {
        List<RunSummary> runs = new ArrayList<>();
        json.getJsonArray("runs").forEach(o -> runs.add(run((JsonObject) o)));
        return new RunPage(runs, json.getLong("total"), json.getInteger("offset"), json.getInteger("limit"));
    }

    static JsonObject run(RunSummary r) {
        return new JsonObject().put("id", r.id()).put("name", r.name()).put("experiment", r.experiment())
                .put("status", r.status() == null ? null : r.status().name()).put("user", r.user()).put("host", r.host())
                .put("startedAt", r.startedAt() == null ? null : r.startedAt().toEpochMilli())
                .put("endedAt", r.endedAt() == null ? null : r.endedAt().toEpochMilli()).put("error", r.error())
                .put("params", new JsonObject(new LinkedHashMap<>(r.params())))
                .put("metrics", new JsonObject(new LinkedHashMap<>(r.metrics())))
                .put("tags", new JsonArray(r.tags())).put("notes", r.notes());
    }

    static RunSummary run(JsonObject j) {
        Map<String, Object> params = new LinkedHashMap<>(j.getJsonObject("params").getMap());
        Map<String, Double> metrics = new LinkedHashMap<>();
        j.getJsonObject("metrics").forEach(e -> metrics.put(e.getKey(), number(e.getValue())));
        List<String> tags = new ArrayList<>();
        j.getJsonArray("tags").forEach(t -> tags.add((String) t));
        String status = j.getString("status");
        return new RunSummary(j.getString("id"), j.getString("name"), j.getString("experiment"),
                status == null ? null : RunStatus.valueOf(status), j.getString("user"), j.getString("host"),
                instant(j.getLong("startedAt")), instant(j.getLong("endedAt")), j.getString("error"), params, metrics,
                tags, j.getString("notes"));
    }

    /** A number as JSON carries it; NaN and the infinities travel as strings. */
    private static Double number(Object value) {
        return value == null ? null : value instanceof Number n ? n.doubleValue() : Double.valueOf(value.toString());
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
