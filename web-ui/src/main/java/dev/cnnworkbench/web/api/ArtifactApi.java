package dev.cnnworkbench.web.api;

import dev.cnnworkbench.storage.ArtifactContent;
import dev.cnnworkbench.storage.StoredArtifact;
import dev.cnnworkbench.web.ApiException;
import dev.cnnworkbench.web.RunStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
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
 * {@code GET /api/artifacts/ID}: the bytes of one indexed artifact, found by {@link ArtifactContent} (the store's
 * {@link RunStore#content}): the file in this server's artifacts folder, or, over a team's shared database, the copy
 * stored there by the member who trained the run. Never a folder, never a file its indexed path would reach outside
 * that folder (403), never a file or stored copy that is not the one indexed (another size or SHA-256, or a hard link;
 * 403), 404 for an unknown id or content that is nowhere here (the reason says where it is). The body is the content as
 * it is, with the artifact's media type (a malformed one is sent as {@code application/octet-stream}); images, JSON and
 * plain text are shown in the browser, anything else is a download. Every response forbids scripts
 * ({@code Content-Security-Policy: sandbox}). The lookup runs on the worker executor; a local file goes out with the
 * event loop's {@code sendFile}; stored content goes out one chunk at a time (each read on the worker executor, the next
 * read only once the connection's write queue has room), so a large artifact is never whole in memory, and its last
 * chunk only once its SHA-256 has been checked: a corrupt copy ends in a reset connection, short of its
 * {@code Content-Length}.
 */
public final class ArtifactApi {

    public static final String PATH_PREFIX = "/api/artifacts/";
    public static final String OCTET_STREAM = "application/octet-stream";
    private static final Set<String> INLINE = Set.of("image/png", "image/jpeg", "image/gif", "image/webp",
            "application/json", "text/plain", "text/csv");
    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactApi.class);

    /** What a download sends: the artifact and where its bytes are. */
    private record Found(StoredArtifact artifact, ArtifactContent.Source source) {
    }

    private final RunStore store;
    private final WorkerExecutor blocking;

    public ArtifactApi(RunStore store, WorkerExecutor blocking) {
        this.store = store;
        this.blocking = blocking;
    }

    public void mount(Router router) {
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
        ArtifactContent.Source source;
        try {
            source = store.content().locate(artifact);
        } catch (SecurityException e) {
            LOG.warn("refused to serve artifact {} of run {}: {}", id, artifact.runId(), e.getMessage());
            throw refused(artifact, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file of artifact " + id + ": " + e.getMessage(), e);
        }
        if (source instanceof ArtifactContent.Missing missing) {
            throw new ApiException(404, missing.reason());
        }
        return new Found(artifact, source);
    }

    private static ApiException refused(StoredArtifact artifact, SecurityException e) {
        return new ApiException(403, "artifact " + artifact.id() + " is not served: " + (e.getMessage().startsWith("the artifact path")
                ? "its path leads out of the artifacts folder"
                : "its content is no longer what the workbench recorded (" + e.getMessage() + ")"));
    }

    private void send(RoutingContext ctx, Found found) {
        if (found.source() instanceof ArtifactContent.Stored stored) {
            pump(ctx, store.content().reader(stored));
            return;
        }
        Path file = ((ArtifactContent.Local) found.source()).file();
        headers(ctx.response(), found.artifact())
                .sendFile(file.toString())
                .onFailure(e -> {
                    if (!ctx.response().headWritten()) {
                        ctx.fail(new ApiException(404, "the file of artifact " + found.artifact().id() + " cannot be read"));
                    } else {
                        ctx.response().reset();
                    }
                });
    }

    /** Reads the next chunk on the worker executor, writes it, and comes back when the write queue has room. */
    private void pump(RoutingContext ctx, ArtifactContent.ChunkReader reader) {
        blocking.executeBlocking(reader::next, true).onComplete(ar -> {
            HttpServerResponse response = ctx.response();
            if (response.closed() || response.ended()) {
                return; // the client went away: stop reading
            }
            if (ar.failed()) {
                StoredArtifact artifact = reader.artifact();
                LOG.warn("stopped serving artifact {} of run {} from the team database: {}", artifact.id(),
                        artifact.runId(), ar.cause().getMessage());
                if (response.headWritten()) {
                    response.reset();
                } else {
                    ctx.fail(ar.cause() instanceof SecurityException e ? refused(artifact, e) : ar.cause());
                }
                return;
            }
            byte[] chunk = ar.result();
            if (chunk == null) {
                response.end();
                return;
            }
            if (!response.headWritten()) {
                headers(response, reader.artifact()).putHeader("Content-Length", Long.toString(reader.artifact().sizeBytes()));
            }
            response.write(Buffer.buffer(chunk));
            if (response.writeQueueFull()) {
                response.drainHandler(v -> pump(ctx, reader));
            } else {
                pump(ctx, reader);
            }
        });
    }

    private static HttpServerResponse headers(HttpServerResponse response, StoredArtifact artifact) {
        String type = mediaType(artifact.mediaType());
        return response
                .putHeader("Content-Type", type)
                .putHeader("Content-Disposition", (INLINE.contains(type) ? "inline" : "attachment") + "; filename=\""
                        + fileName(artifact.path()) + "\"")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("Content-Security-Policy", CSP);
    }

    private static long id(String raw) {
        if (raw == null || !ID.matcher(raw).matches()) {
            throw new ApiException(400, "not an artifact id: expected a whole number");
        }
        return Long.parseLong(raw);
    }

    /** The media type without parameters, lower case; {@value #OCTET_STREAM} when missing or malformed. */
    public static String mediaType(String recorded) {
        if (recorded == null) {
            return OCTET_STREAM;
        }
        String essence = recorded.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return MEDIA_TYPE.matcher(essence).matches() ? essence : OCTET_STREAM;
    }

    /** The last segment of the path, with anything but letters, digits, '.', '_' and '-' replaced by '_'. */
    public static String fileName(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
