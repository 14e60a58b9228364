package dev.cnnworkbench.web;

import dev.cnnworkbench.storage.ArtifactPaths;
import dev.cnnworkbench.storage.StoredArtifact;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/artifacts/ID}: the file of one indexed artifact, read only from the store's artifacts folder
 * ({@link RunStore#artifactFile}): never a folder, never a file its indexed path would reach outside that folder
 * (403), never a file that is not the one indexed ({@link ArtifactPaths#checkIndexed}: another size or SHA-256, or a
 * hard link; 403), 404 for an unknown id or a missing file. The body is the file as it is, with the artifact's media type
 * (a malformed one is sent as {@code application/octet-stream}); images, JSON and plain text are shown in the
 * browser, anything else is a download. Every response forbids scripts ({@code Content-Security-Policy: sandbox}).
 * The lookup runs on the worker executor, the transfer is the event loop's {@code sendFile}.
 */
final class ArtifactApi {

    static final String PATH_PREFIX = "/api/artifacts/";
    static final String OCTET_STREAM = "application/octet-stream";
    private static final Set<String> INLINE = Set.of("image/png", "image/jpeg", "image/gif", "image/webp",
            "application/json", "text/plain", "text/csv");
    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactApi.class);

    /** What a download sends: the artifact and its file, found. */
    private record Found(StoredArtifact artifact, Path file) {
    }

    private final RunStore store;
    private final WorkerExecutor blocking;

    ArtifactApi(RunStore store, WorkerExecutor blocking) {
        this.store = store;
        this.blocking = blocking;
    }

    void mount(Router router) {
        router.get(PATH_PREFIX + ":id").handler(ctx -> {
            long id = id(ctx.pathParam("id"));
            blocking.executeBlocking(() -> find(id), false).onComplete(ar -> {
                if (ar.succeeded()) {
                    send(ctx, ar.result());
                } else {
                    ctx.fail(ar.cause());
                }
            });
        });
    }

    private Found find(long id) {
        StoredArtifact artifact = store.artifact(id)
                .orElseThrow(() -> new ApiException(404, "no artifact with id " + id));
        Path file;
        try {
            file = store.artifactFile(artifact).orElseThrow(() -> new ApiException(404,
                    "the file of artifact " + id + " is not in this server's artifacts folder"));
        } catch (SecurityException e) {
            LOG.warn("refused to serve artifact {} of run {}: {}", id, artifact.runId(), e.getMessage());
            throw new ApiException(403, "artifact " + id + " is not served: its path leads out of the artifacts folder");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file of artifact " + id + ": " + e.getMessage(), e);
        }
        try {
            ArtifactPaths.checkIndexed(file, artifact);
            return new Found(artifact, file);
        } catch (SecurityException e) {
            LOG.warn("refused to serve artifact {} of run {}: {}", id, artifact.runId(), e.getMessage());
            throw new ApiException(403, "artifact " + id + " is not served: its file is no longer the one the workbench"
                    + " recorded (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file of artifact " + id + ": " + e.getMessage(), e);
        }
    }

    private static void send(RoutingContext ctx, Found found) {
        String type = mediaType(found.artifact().mediaType());
        ctx.response()
                .putHeader("Content-Type", type)
                .putHeader("Content-Disposition", (INLINE.contains(type) ? "inline" : "attachment") + "; filename=\""
                        + fileName(found.artifact().path()) + "\"")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("Content-Security-Policy", CSP)
                .sendFile(found.file().toString())
                .onFailure(e -> {
                    if (!ctx.response().headWritten()) {
                        ctx.fail(new ApiException(404, "the file of artifact " + found.artifact().id() + " cannot be read"));
                    } else {
                        ctx.response().reset();
                    }
                });
    }

    private static long id(String raw) {
        if (raw == null || !ID.matcher(raw).matches()) {
            throw new ApiException(400, "not an artifact id: expected a whole number");
        }
        return Long.parseLong(raw);
    }

    /** The media type without parameters, lower case; {@value #OCTET_STREAM} when missing or malformed. */
    static String mediaType(String recorded) {
        if (recorded == null) {
            return OCTET_STREAM;
        }
        String essence = recorded.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return MEDIA_TYPE.matcher(essence).matches() ? essence : OCTET_STREAM;
    }

    /** The last segment of the path, with anything but letters, digits, '.', '_' and '-' replaced by '_'. */
    static String fileName(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
