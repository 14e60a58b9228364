package dev.cnnworkbench.core.worker;

import dev.cnnworkbench.core.bus.EnsembleRecorded;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.engine.MetricSink;
import io.vertx.core.eventbus.EventBus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The sink of a run trained by a worker whose home is not the hub's: every file the run announces (checkpoints,
 * snapshots, the final network, images, its log) is first copied into the hub's home ({@link FileTransfer}), and only
 * then announced, so the hub's store indexes files it holds, and a checkpoint counts on the hub only once it is there
 * whole. A file the hub does not take is not announced (a warning {@code file_not_sent} says so; it stays on the
 * worker). Everything else passes through. Training thread only.
 */
final class ShippingSink implements MetricSink {

    private final MetricSink inner;
    private final EventBus bus;
    private final String runId;
    private final Path runDir;

    ShippingSink(MetricSink inner, EventBus bus, String runId, Path runDir) {
        this.inner = inner;
        this.bus = bus;
        this.runId = runId;
        this.runDir = runDir.toAbsolutePath();
    }

    @Override
    public void record(List<MetricPoint> points) {
        inner.record(points);
    }

    @Override
    public void warn(String kind, long step, String message) {
        inner.warn(kind, step, message);
    }

    @Override
    public void artifact(String kind, String name, Path file, String mediaType, long step, int epoch) {
        String relative = runDir.relativize(file.toAbsolutePath()).toString().replace('\\', '/');
        try {
            FileTransfer.send(bus, runId, relative, file);
        } catch (IOException | RuntimeException e) {
            inner.warn("file_not_sent", step, "the " + kind + " file " + relative + " stays on this worker: "
                    + e.getMessage());
            return;
        }
        inner.artifact(kind, name, file, mediaType, step, epoch);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void ensemble(Function<String, EnsembleRecorded> ofRun) {
        inner.ensemble(ofRun);
    }
}
