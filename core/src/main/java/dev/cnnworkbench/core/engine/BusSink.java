package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunWarning;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The sink of a tracked run: publishes its metrics, warnings and artifacts on the event bus. Artifacts are published
 * with their size, SHA-256 and path relative to {@code artifactsRoot}. {@link #flush} asks whoever stores the bus's
 * messages ({@link Addresses#STORAGE_FLUSH}: the storage verticle, or the forwarder to a server) and waits for its
 * answer, at most {@link #FLUSH_TIMEOUT_MILLIS} ms. Used by the training thread only (never an event loop).
 */
public final class BusSink implements MetricSink {

    /** How long {@link #flush} waits for the store's acknowledgement. */
    public static final long FLUSH_TIMEOUT_MILLIS = 30_000;

    private final EventBus bus;
    private final String runId;
    private final Path artifactsRoot;

    /** @param artifactsRoot the home's {@code artifacts/} folder, or {@code null} when the run keeps no files */
    public BusSink(EventBus bus, String runId, Path artifactsRoot) {
        this.bus = bus;
        this.runId = runId;
        this.artifactsRoot = artifactsRoot;
    }

    @Override
    public void record(List<MetricPoint> points) {
        bus.publish(Addresses.METRICS, new MetricBatch(runId, points));
    }

    @Override
    public void flush() {
        try {
            bus.request(Addresses.STORAGE_FLUSH, runId, new DeliveryOptions().setSendTimeout(FLUSH_TIMEOUT_MILLIS))
                    .toCompletionStage().toCompletableFuture().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("the store did not acknowledge the metrics of run " + runId + ": "
                    + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the store to acknowledge run " + runId, e);
        }
    }

    @Override
    public void warn(String kind, long step, String message) {
        bus.publish(Addresses.RUN_WARNING, new RunWarning(runId, kind, step, message, System.currentTimeMillis()));
    }

    @Override
    public void artifact(String kind, String name, Path file, String mediaType, long step, int epoch) {
        if (artifactsRoot == null) {
            return;
        }
        String relative = artifactsRoot.relativize(file.toAbsolutePath()).toString().replace('\\', '/');
        try {
            bus.publish(Addresses.RUN_ARTIFACT, new RunArtifact(runId, kind, name, relative, Files.size(file),
                    sha256(file), mediaType, step, epoch, System.currentTimeMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index the artifact " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void ensemble(java.util.function.Function<String, dev.cnnworkbench.core.bus.EnsembleRecorded> ofRun) {
        bus.publish(Addresses.ENSEMBLE_RECORDED, ofRun.apply(runId));
    }

    /** A file's SHA-256, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
