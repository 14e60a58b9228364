package dev.cnnworkbench.web.api;

import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.web.ApiException;
import dev.cnnworkbench.web.RunStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The write side of a run, for inline edits on the runs page: {@code PATCH /api/runs/ID} with {@code {"notes": "..."}}
 * replaces the notes (blank or {@code null} clears them); {@code POST /api/runs/ID/tags} with
 * {@code {"tags": ["a", "b"]}} adds tags; {@code DELETE /api/runs/ID/tags/TAG} removes one. Each answers with the run
 * as {@code GET /api/runs} lists it. A malformed body is a 400 naming the JSON path at fault; an unknown run 404; a
 * read-only store 503.
 */
public final class RunEditApi {

    public static final int MAX_NOTES = 10_000;
    public static final int MAX_TAGS_PER_REQUEST = 50;

    private final RunStore store;
    private final WorkerExecutor blocking;

    public RunEditApi(RunStore store, WorkerExecutor blocking) {
        this.store = store;
        this.blocking = blocking;
    }

    public void mount(Router router) {
        router.patch("/api/runs/:id").handler(ctx -> ApiReply.guarded(ctx, () -> {
            String id = RunApi.runId(ctx.pathParam("id"));
            String notes = notes(body(ctx));
            answer(ctx, id, () -> store.setNotes(id, notes));
        }));
        router.post("/api/runs/:id/tags").handler(ctx -> ApiReply.guarded(ctx, () -> {
            String id = RunApi.runId(ctx.pathParam("id"));
            List<String> tags = tags(body(ctx));
            answer(ctx, id, () -> store.addTags(id, tags));
        }));
        router.delete("/api/runs/:id/tags/:tag").handler(ctx -> ApiReply.guarded(ctx, () -> {
            String id = RunApi.runId(ctx.pathParam("id"));
            String tag = ctx.pathParam("tag");
            answer(ctx, id, () -> store.removeTags(id, List.of(tag)));
        }));
    }

    private void answer(RoutingContext ctx, String id, Supplier<Optional<RunSummary>> change) {
        if (!store.writable()) {
            throw new ApiException(503, "this server cannot change runs (its store is read-only)");
        }
        ApiReply.json(ctx, blocking, () -> {
            try {
                return ApiJson.summary(change.get().orElseThrow(() -> new ApiException(404, "no run with id '" + id + "'")));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, e.getMessage(), "tags");
            }
        });
    }

    private static JsonObject body(RoutingContext ctx) {
        String text = ctx.body().asString();
        if (text == null || text.isBlank()) {
            throw new ApiException(400, "a JSON object is required as the request body");
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new ApiException(400, "the request body is not a JSON object");
        }
    }

    private static String notes(JsonObject body) {
        if (!body.containsKey("notes")) {
            throw new ApiException(400, "is required: the run's notes as a string (empty to clear them)", "notes");
        }
        Object notes = body.getValue("notes");
        if (notes != null && !(notes instanceof String)) {
            throw new ApiException(400, "must be a string or null", "notes");
        }
        if (notes != null && ((String) notes).length() > MAX_NOTES) {
            throw new ApiException(400, "must be at most " + MAX_NOTES + " characters", "notes");
        }
        return (String) notes;
    }

    private static List<String> tags(JsonObject body) {
        Object raw = body.getValue("tags");
        if (!(raw instanceof JsonArray array) || array.isEmpty()) {
            throw new ApiException(400, "is required: a non-empty array of tags", "tags");
        }
        if (array.size() > MAX_TAGS_PER_REQUEST) {
            throw new ApiException(400, "at most " + MAX_TAGS_PER_REQUEST + " tags per request", "tags");
        }
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Object tag = array.getValue(i);
            String text = tag instanceof String s ? s.trim() : null;
            if (text == null || text.isEmpty() || text.length() > RunWriter.MAX_TAG_LENGTH
                    || text.chars().anyMatch(Character::isISOControl)) {
                throw new ApiException(400, "must be a string of 1 to " + RunWriter.MAX_TAG_LENGTH
                        + " characters without control characters", "tags[" + i + "]");
            }
            tags.add(text);
        }
        return tags;
    }
}
