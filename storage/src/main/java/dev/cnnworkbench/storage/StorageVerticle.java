package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.env.Host;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists what the event bus carries: runs as they start and end, metric points in batches (every
 * {@link #BATCH_POINTS} points or {@link #BATCH_MILLIS} ms, whichever comes first). Deploy it as a
 * worker verticle: its handlers run one at a time on a worker thread, so JDBC never blocks an event
 * loop, and the trainer, which only publishes, never waits on the database.
 *
 * <p>If a write fails the points stay queued and are retried on the next tick; a warning says how
 * many are waiting. Answers {@link Addresses#STORAGE_FLUSH} once everything received before is
 * committed.
 */
public final class StorageVerticle extends VerticleBase {

    static final int BATCH_POINTS = 1_000;
    static final long BATCH_MILLIS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(StorageVerticle.class);

    private final RunWriter writer;
    private List<RunWriter.RunPoint> pending = new ArrayList<>();
    private long written;
    private long timer;

    public StorageVerticle(Database db) {
        this.writer = new RunWriter(db);
    }

    @Override
    public Future<?> start() throws SQLException {
        List<String> dead = writer.markDeadRunsInterrupted(Host.name());
        if (!dead.isEmpty()) {
            LOG.info("marked {} run(s) INTERRUPTED whose process is gone: {}", dead.size(), dead);
        }
        var bus = vertx.eventBus();
        bus.<RunStarted>consumer(Addresses.RUN_STARTED, this::onStarted);
        bus.<MetricBatch>consumer(Addresses.METRICS, this::onMetrics);
        bus.<RunEnded>consumer(Addresses.RUN_ENDED, this::onEnded);
        bus.<String>consumer(Addresses.STORAGE_FLUSH, this::onFlush);
        timer = vertx.setPeriodic(BATCH_MILLIS, id -> flush());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        flush();
        return Future.succeededFuture();
    }

    private void onStarted(Message<RunStarted> msg) {
        try {
            writer.insertRun(msg.body());
        } catch (SQLException e) {
            LOG.error("cannot record the start of run {}: {}", msg.body().runId(), e.getMessage());
        }
    }

    private void onMetrics(Message<MetricBatch> msg) {
        MetricBatch batch = msg.body();
        for (MetricPoint p : batch.points()) {
            pending.add(new RunWriter.RunPoint(batch.runId(), p));
        }
        if (pending.size() >= BATCH_POINTS) {
            flush();
        }
    }

    private void onEnded(Message<RunEnded> msg) {
        flush();
        try {
            writer.endRun(msg.body());
        } catch (SQLException e) {
            LOG.error("cannot record the end of run {}: {}", msg.body().runId(), e.getMessage());
        }
    }

    private void onFlush(Message<String> msg) {
        if (flush()) {
            msg.reply(written);
        } else {
            msg.fail(503, pending.size() + " metric points are waiting for the database");
        }
    }

    /** Writes every pending point; returns false (keeping them queued) if the database refused. */
    private boolean flush() {
        if (pending.isEmpty()) {
            return true;
        }
        List<RunWriter.RunPoint> batch = pending;
        try {
            writer.insertMetrics(batch);
            written += batch.size();
            pending = new ArrayList<>();
            return true;
        } catch (SQLException e) {
            LOG.warn("{} metric points are waiting: the database refused them ({}); retrying", batch.size(),
                    e.getMessage());
            return false;
        }
    }
}
