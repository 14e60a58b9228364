package dev.cnnworkbench.core.worker;

import dev.cnnworkbench.core.engine.BusSink;
import dev.cnnworkbench.core.sweep.FileChunk;
import dev.cnnworkbench.core.sweep.FileRead;
import dev.cnnworkbench.core.sweep.WorkAddresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker's copies of a run's files to and from the hub's {@link FileDepot}, in parts of at most
 * {@link FileChunk#MAX_BYTES}, each acknowledged before the next. Blocking: call from a training or worker thread,
 * never an event loop.
 */
public final class FileTransfer {

    private static final long PART_TIMEOUT_MS = 60_000;

    private FileTransfer() {
    }

    /** Copies {@code file} to the hub as file {@code name} of run {@code runId}. */
    public static void send(EventBus bus, String runId, String name, Path file) throws IOException {
        long size = Files.size(file);
        String sha = BusSink.sha256(file);
        long offset = 0;
        try (InputStream in = Files.newInputStream(file)) {
            do {
                byte[] data = in.readNBytes((int) Math.min(FileChunk.MAX_BYTES, size - offset));
                await(bus, WorkAddresses.FILE_PUT, new FileChunk(runId, name, offset, data, size,
                        offset + data.length >= size ? sha : null));
                offset += data.length;
            } while (offset < size);
        }
    }

    /** Copies file {@code name} of run {@code runId} from the hub to {@code target} (atomically, SHA-256 checked). */
    public static void fetch(EventBus bus, String runId, String name, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".download");
        FileChunk c;
        try (OutputStream out = Files.newOutputStream(partial)) {
            long offset = 0;
            do {
                c = (FileChunk) await(bus, WorkAddresses.FILE_GET, new FileRead(runId, name, offset));
                out.write(c.data());
                offset += c.data().length;
            } while (!c.last());
        }
        String sha = BusSink.sha256(partial);
        if (!sha.equals(c.sha256())) {
            Files.deleteIfExists(partial);
            throw new IOException(runId + "/" + name + " arrived damaged from the hub (SHA-256 " + sha + ", sent "
                    + c.sha256() + ")");
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Object await(EventBus bus, String address, Object body) throws IOException {
        try {
            return bus.request(address, body, new DeliveryOptions().setSendTimeout(PART_TIMEOUT_MS))
                    .toCompletionStage().toCompletableFuture().get(PART_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS).body();
        } catch (ExecutionException e) {
            throw new IOException("the hub did not take it: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the hub did not answer in " + PART_TIMEOUT_MS / 1000 + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
