package dev.cnnworkbench.web.api;

import dev.cnnworkbench.web.ApiException;
import dev.cnnworkbench.web.RunStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code GET /api/runs/ID/console?from=OFFSET}: the run's console log ({@code console.log} in its artifact folder,
 * written as the run goes) from byte {@code from} on, at most {@link #CHUNK} bytes ending at a line's end, as
 * {@code {"text": ..., "next": OFFSET, "size": BYTES}}; a page tails it by asking again from {@code next}. 404 for an
 * unknown run or a run without a log (one trained elsewhere, or before logs were kept). Read from the store's
 * artifacts folder only, on the worker pool.
 */
public final class ConsoleLogApi {

    public static final int CHUNK = 256 * 1024;
    private static final String LOG = "console.log";

    private final RunStore store;
    private final WorkerExecutor blocking;

    public ConsoleLogApi(RunStore store, WorkerExecutor blocking) {
        this.store = store;
        this.blocking = blocking;
    }

    public void mount(Router router) {
        router.get("/api/runs/:id/console").handler(ctx -> ApiReply.guarded(ctx, () -> {
            String id = RunApi.runId(ctx.pathParam("id"));
            long from = offset(ctx.queryParam("from").isEmpty() ? null : ctx.queryParam("from").get(0));
            ApiReply.json(ctx, blocking, () -> read(id, from));
        }));
    }

    private static long offset(String text) {
        if (text == null) {
            return 0;
        }
        try {
            long from = Long.parseLong(text);
            if (from >= 0) {
                return from;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, "query parameter 'from' must be a byte offset >= 0, got '" + text + "'");
    }

    private JsonObject read(String id, long from) {
        Path dir = store.runArtifactDir(id).orElseThrow(() -> new ApiException(404, "run '" + id + "' has no console log"));
        try (FileChannel file = FileChannel.open(dir.resolve(LOG), StandardOpenOption.READ)) {
            long size = file.size();
            long start = Math.min(from, size);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, size - start));
            while (buffer.hasRemaining() && file.read(buffer, start + buffer.position()) > 0) {
                // read until the chunk is full or the file ends
            }
            int length = buffer.position();
            if (start + length < size) {
                // a full chunk stops after its last whole line, so no character is cut in two
                int end = length;
                while (end > 0 && buffer.get(end - 1) != '\n') {
                    end--;
                }
                length = end > 0 ? end : length;
            }
            String text = new String(buffer.array(), 0, length, StandardCharsets.UTF_8);
            return new JsonObject().put("text", text).put("next", start + length).put("size", size);
        } catch (NoSuchFileException e) {
            throw new ApiException(404, "run '" + id + "' has no console log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console log of run " + id + ": " + e.getMessage(), e);
        }
    }
}
