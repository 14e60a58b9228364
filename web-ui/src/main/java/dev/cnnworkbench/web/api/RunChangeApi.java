package dev.cnnworkbench.web.api;

import dev.cnnworkbench.storage.RunChanges;
import dev.cnnworkbench.storage.StoredArtifact;
import dev.cnnworkbench.web.ApiException;
import dev.cnnworkbench.web.RunStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renaming and deleting a run; who may is {@link RunPermissions}' rule, installed in front of these routes.
 * <ul>
 *   <li>{@code PUT /api/runs/ID/name} with {@code {"name": "..."}}: the run as {@code GET /api/runs} lists it; a
 *   name that is blank, too long or has control characters is 400 at path {@code name}.</li>
 *   <li>{@code DELETE /api/runs/ID}: {@code {"deleted": ID, "files": n}}, after the run, everything recorded about
 *   it and its artifact files (only those under the artifacts folder) are gone; a run still training is 409.</li>
 * </ul>
 * An unknown run is 404. Store work runs on the worker executor.
 */
public final class RunChangeApi {

    private static final Logger LOG = LoggerFactory.getLogger(RunChangeApi.class);

    private final RunStore store;
    private final RunChanges changes;
    private final WorkerExecutor blocking;

    /** @param changes {@code null}: this server changes no runs (503) */
    public RunChangeApi(RunStore store, RunChanges changes, WorkerExecutor blocking) {
        this.store = store;
        this.changes = changes;
        this.blocking = blocking;
    }

    public void mount(Router router) {
        router.put("/api/runs/:id/name").handler(ctx -> {
            String id = RunApi.runId(ctx.pathParam("id"));
            String name = name(ctx);
            answer(ctx, () -> rename(id, name));
        });
        router.delete("/api/runs/:id").handler(ctx -> {
            String id = RunApi.runId(ctx.pathParam("id"));
            answer(ctx, () -> delete(id));
        });
    }

    private JsonObject rename(String id, String name) {
        try {
            if (!changes.rename(id, name)) {
                throw noSuchRun(id);
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage(), "name");
        }
        return ApiJson.summary(store.run(id).orElseThrow(() -> noSuchRun(id)).summary());
    }

    private JsonObject delete(String id) {
        List<StoredArtifact> artifacts = store.run(id).map(RunStore.RunDetail::artifacts).orElse(List.of());
        RunChanges.Deleted deleted = changes.delete(id);
        switch (deleted.outcome()) {
            case NO_SUCH_RUN -> throw noSuchRun(id);
            case STILL_RUNNING -> throw new ApiException(409, "run '" + id + "' is still running; it can be deleted once"
                    + " it has ended");
            default -> {
                return new JsonObject().put("deleted", id).put("files", deleteFiles(artifacts, deleted.artifactPaths()));
            }
        }
    }

    /** Deletes the files of the deleted index entries (found safely under the artifacts folder), then empty folders. */
    private int deleteFiles(List<StoredArtifact> known, List<String> deletedPaths) {
        int n = 0;
        List<Path> folders = new ArrayList<>();
        for (StoredArtifact a : known) {
            if (!deletedPaths.contains(a.path())) {
                continue;
            }
            try {
                Optional<Path> file = store.artifactFile(a);
                if (file.isPresent() && Files.deleteIfExists(file.get())) {
                    n++;
                    folders.add(file.get().getParent());
                }
            } catch (IOException | SecurityException e) {
                LOG.warn("run {}: artifact file {} not deleted: {}", a.runId(), a.path(), e.getMessage());
            }
        }
        for (Path folder : folders) {
            try {
                Files.deleteIfExists(folder);
            } catch (DirectoryNotEmptyException e) {
                // other files remain: the folder stays
            } catch (IOException e) {
                LOG.warn("folder {} not deleted: {}", folder, e.getMessage());
            }
        }
        return n;
    }

    private void answer(RoutingContext ctx, java.util.concurrent.Callable<JsonObject> change) {
        if (changes == null) {
            throw new ApiException(503, "this server cannot change runs");
        }
        blocking.executeBlocking(change, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.json(ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    private static String name(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw new ApiException(400, "the body must be a JSON object {\"name\": \"...\"}");
        }
        Object name = body == null ? null : body.getValue("name");
        if (!(name instanceof String s)) {
            throw new ApiException(400, "is required: the run's new name as a string", "name");
        }
        return s;
    }

    private static ApiException noSuchRun(String id) {
        return new ApiException(404, "no run with id '" + id + "'");
    }
}
