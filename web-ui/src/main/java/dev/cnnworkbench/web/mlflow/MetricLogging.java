package dev.cnnworkbench.web.mlflow;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.storage.DatabaseUrls;
import dev.cnnworkbench.storage.StorageException;
import dev.cnnworkbench.web.RunStore;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a 200 to log-metric and log-batch promises: the points are durable, as MLflow's own server answers after its
 * store's commit. They are published on the event bus (the storage writes them in its batches, the dashboard streams
 * them) and made durable without a database transaction per call where the database is a file of this machine: the
 * call's points go first into the {@link MetricJournal} next to it, which the storage's flush, every
 * {@link #CHECKPOINT_MILLIS} ms, empties. With a team's database (another machine) or when the journal cannot be
 * written, the reply waits for the storage to commit instead ({@link MlflowApi#replyCommitted}; concurrent calls share
 * a commit). On start, the points of a journal left by a killed process that the database lacks are written (a point
 * equal in step, time and value to a stored one is the same point, as MLflow's store counts it).
 *
 * <p>Threading: {@link #log} and the checkpoints run on the web server's event loop; the journal's write is one
 * file append there (no fsync), cheaper than a hop to a worker.
 */
final class MetricLogging {

    static final long CHECKPOINT_MILLIS = 500;
    private static final Logger LOG = LoggerFactory.getLogger(MetricLogging.class);

    private final MlflowApi api;
    private final RunStore store;
    private final MetricJournal journal;
    private long timer = -1;
    private boolean checkpointing;
    private boolean journalBroken;

    /** @param journal where points are made durable first; {@code null}: every reply waits for the storage's commit */
    MetricLogging(MlflowApi api, RunStore store, MetricJournal journal) {
        this.api = api;
        this.store = store;
        this.journal = journal;
    }

    /** The journal for {@code store}: next to its database file; {@code null} for a database on another machine. */
    static MetricJournal journalFor(RunStore store) {
        try {
            return DatabaseUrls.parse(store.database().url()).file().map(f -> new MetricJournal(f.getParent()))
                    .orElse(null);
        } catch (StorageException e) {
            return null; // not a URL this build names a file by: the replies wait for the commit
        }
    }

    /** Writes what killed processes left in the journal, then checkpoints it periodically. */
    void start() {
        if (journal == null) {
            return;
        }
        api.blocking().executeBlocking(this::replayLeftovers, false).onFailure(e -> LOG.error(
                "cannot write the MLflow metrics left in {} by an earlier process: {}; they are kept there for the"
                        + " next start", journal.dir(), e.getMessage()));
        timer = api.vertx().setPeriodic(CHECKPOINT_MILLIS, id -> checkpoint());
    }

    void stop() {
        if (timer != -1) {
            api.vertx().cancelTimer(timer);
        }
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                LOG.warn("cannot close the MLflow metric journal in {}: {}", journal.dir(), e.getMessage());
            }
        }
    }

    /** Publishes the run's points and answers {@code {}} once they are durable (on the event loop). */
    void log(RoutingContext ctx, String runId, List<MetricPoint> points) {
        if (points.isEmpty()) {
            MlflowApi.ok(ctx, MlflowApi.EMPTY);
            return;
        }
        boolean durable = false;
        if (journal != null && !journalBroken) {
            try {
                journal.append(runId, points);
                durable = true;
            } catch (IOException e) {
                journalBroken = true;
                LOG.warn("cannot write the MLflow metric journal in {} ({}); MLflow logs now wait for the database's"
                        + " commit", journal.dir(), e.getMessage());
            }
        }
        api.vertx().eventBus().publish(Addresses.METRICS, new MetricBatch(runId, points));
        if (durable) {
            MlflowApi.ok(ctx, MlflowApi.EMPTY);
        } else {
            api.replyCommitted(ctx);
        }
    }

    /**
     * Closes the journal's segment and asks the storage to flush: the points of closed segments were published before
     * the flush request, so they are committed when it succeeds and their segments go.
     */
    private void checkpoint() {
        if (checkpointing) {
            return;
        }
        List<Path> segments;
        try {
            segments = journal.rotate();
        } catch (IOException e) {
            LOG.warn("cannot close a segment of the MLflow metric journal in {}: {}", journal.dir(), e.getMessage());
            return;
        }
        if (segments.isEmpty()) {
            return;
        }
        checkpointing = true;
        api.vertx().eventBus().request(Addresses.STORAGE_FLUSH, "", new DeliveryOptions()
                .setSendTimeout(MlflowApi.FLUSH_TIMEOUT_MILLIS)).onComplete(ar -> {
                    checkpointing = false;
                    if (ar.failed()) {
                        return; // the database is away: the segments stay until a flush succeeds
                    }
                    try {
                        journal.delete(segments);
                    } catch (IOException e) {
                        LOG.warn("cannot delete committed segments of the MLflow metric journal in {}: {}",
                                journal.dir(), e.getMessage());
                    }
                });
    }

    /** On a worker: publishes the leftover points the database lacks, and deletes their segments once committed. */
    private Void replayLeftovers() throws IOException {
        List<Path> leftovers = journal.leftovers();
        if (leftovers.isEmpty()) {
            return null;
        }
        long written = 0;
        long known = 0;
        for (Path segment : leftovers) {
            for (Map.Entry<String, List<MetricPoint>> run : MetricJournal.read(segment).entrySet()) {
                List<MetricPoint> missing = missing(run.getKey(), run.getValue());
                known += run.getValue().size() - missing.size();
                written += missing.size();
                for (int from = 0; from < missing.size(); from += RunRoutes.MAX_BATCH_METRICS) {
                    api.vertx().eventBus().publish(Addresses.METRICS, new MetricBatch(run.getKey(),
                            missing.subList(from, Math.min(missing.size(), from + RunRoutes.MAX_BATCH_METRICS))));
                }
            }
        }
        long points = written;
        long stored = known;
        api.vertx().eventBus().request(Addresses.STORAGE_FLUSH, "", new DeliveryOptions()
                .setSendTimeout(MlflowApi.FLUSH_TIMEOUT_MILLIS)).onSuccess(m -> {
                    try {
                        journal.delete(leftovers);
                        LOG.info("wrote {} MLflow metric points an earlier process had acknowledged but not yet"
                                + " committed ({} were already stored), from {}", points, stored, journal.dir());
                    } catch (IOException e) {
                        LOG.warn("cannot delete replayed MLflow metric journal segments in {}: {}", journal.dir(),
                                e.getMessage());
                    }
                }).onFailure(e -> LOG.warn("the storage did not confirm the {} replayed MLflow metric points ({});"
                        + " their journal segments are kept for the next start", points, e.getMessage()));
        return null;
    }

    /** The points of {@code points} not stored yet for the run (compared by name, step, time and value bits). */
    private List<MetricPoint> missing(String runId, List<MetricPoint> points) {
        Set<String> names = new HashSet<>();
        points.forEach(p -> names.add(p.name()));
        Set<List<Object>> stored = new HashSet<>();
        for (String name : names) {
            for (MetricPoint p : store.fullHistory(runId, name)) {
                stored.add(key(p));
            }
        }
        List<MetricPoint> out = new ArrayList<>();
        for (MetricPoint p : points) {
            if (stored.add(key(p))) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Object> key(MetricPoint p) {
        return List.of(p.name(), p.step(), p.time(), Double.doubleToRawLongBits(p.value()));
    }
}
