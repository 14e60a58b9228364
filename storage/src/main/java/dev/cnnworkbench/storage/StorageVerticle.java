package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunWarning;
import dev.cnnworkbench.core.env.Host;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists what the event bus carries: runs as they start and end, metric points in batches (every
 * {@link Options#batchPoints()} points or {@link Options#batchMillis()} ms, whichever comes first), and the
 * warnings and artifacts of runs (written with the next batch, at most {@link Options#batchMillis()} ms later).
 * Deploy it as a worker verticle: its handlers run one at a time on a worker thread, so JDBC never
 * blocks an event loop, and the trainer, which only publishes, never waits on the database.
 *
 * <p>Back-pressure: everything received (starts, points, warnings, artifacts, ends) goes through one queue, in
 * arrival order, so a warning or an artifact is written after the start of its run and before its end. While the database
 * refuses writes (down, unreachable, locked), the queue keeps up to {@link Options#maxQueuedPoints()}
 * points in memory and spills the rest to a file in {@link Options#spillDir()}; a warning (at most every
 * {@link #WARN_EVERY_MILLIS} ms) says how many points and run events are waiting; writes are retried with
 * a growing delay (up to {@link #MAX_RETRY_MILLIS} ms) and everything is written, in order, when the
 * database returns. Nothing is dropped: an op the database refuses for its content (a constraint or
 * data error, which no retry would fix) is logged as an error and appended to {@code rejected.jsonl} in
 * the spill folder. A verticle stopped while the database is away leaves its queue in a spill file;
 * the next verticle started with the same spill folder writes it first.
 *
 * <p>With {@link ArtifactUploads} (a team's shared database), an artifact's file is copied into the database right
 * after its index row, in the same order as everything else: a flush answered means the files announced before are
 * stored too.
 *
 * <p>Answers {@link Addresses#STORAGE_FLUSH} once everything received before is committed, or fails it
 * (503) while points are waiting for the database.
 */
public final class StorageVerticle extends VerticleBase {

    static final long WARN_EVERY_MILLIS = 5_000;
    static final long MAX_RETRY_MILLIS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(StorageVerticle.class);

    /**
     * How the verticle batches and buffers.
     *
     * @param batchPoints     write once this many points are queued
     * @param batchMillis     and at least this often
     * @param maxQueuedPoints points held in memory while the database is away; beyond, they are spilled
     * @param spillDir        the folder for spill files and rejected ops; {@code null} for a new temporary folder
     */
    public record Options(int batchPoints, long batchMillis, int maxQueuedPoints, Path spillDir) {

        public Options {
            if (batchPoints < 1) {
                throw new IllegalArgumentException("batchPoints must be >= 1, got " + batchPoints);
            }
            if (batchMillis < 1) {
                throw new IllegalArgumentException("batchMillis must be >= 1, got " + batchMillis);
            }
            if (maxQueuedPoints < batchPoints) {
                throw new IllegalArgumentException("maxQueuedPoints must be >= batchPoints (" + batchPoints + "), got "
                        + maxQueuedPoints);
            }
        }

        /** 1,000 points or 200 ms; 200,000 points in memory; spill to a temporary folder. */
        public static Options defaults() {
            return new Options(1_000, 200, 200_000, null);
        }

        /** The defaults, spilling to {@code dir} (e.g. {@code WORKBENCH_HOME/spill}), so a later start replays leftovers. */
        public static Options spillingTo(Path dir) {
            return new Options(1_000, 200, 200_000, dir);
        }
    }

    private final RunWriter writer;
    private final ArtifactUploads uploads;
    private final Options options;
    private final Path spillDir;
    private final IngestQueue queue;
    private final AtomicLong waitingPoints = new AtomicLong();
    private final AtomicLong spilledPoints = new AtomicLong();
    private long written;
    /** Run starts the database refused, by run id, until their trainer asks ({@link Addresses#RUN_RECORDED}). */
    private final Map<String, String> refusedStarts = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 1000;
        }
    };
    private long timer;
    private long retryAt;
    private long retryDelay;
    private long lastWarn;
    private boolean failing;
    private boolean drainScheduled;

    public StorageVerticle(Database db) {
        this(db, Options.defaults());
    }

    public StorageVerticle(Database db, Options options) {
        this(db, options, null);
    }

    /** @param uploads where announced artifacts' files are copied to; {@code null}: nowhere (they stay on disk) */
    public StorageVerticle(Database db, Options options, ArtifactUploads uploads) {
        this.writer = new RunWriter(db);
        this.uploads = uploads;
        this.options = options;
        try {
            this.spillDir = options.spillDir() != null ? Files.createDirectories(options.spillDir())
                    : Files.createTempDirectory("workbench-spill");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the spill folder " + options.spillDir() + ": " + e.getMessage(), e);
        }
        this.queue = new IngestQueue(options.maxQueuedPoints(),
                spillDir.resolve("storage-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".spill"));
    }

    @Override
    public Future<?> start() throws SQLException {
        List<String> dead = writer.markDeadRunsInterrupted(Host.name());
        if (!dead.isEmpty()) {
            LOG.info("marked {} run(s) INTERRUPTED whose process is gone: {}", dead.size(), dead);
        }
        replayLeftovers();
        var bus = vertx.eventBus();
        bus.<RunStarted>consumer(Addresses.RUN_STARTED, this::onStarted);
        bus.<MetricBatch>consumer(Addresses.METRICS, this::onMetrics);
        bus.<RunEnded>consumer(Addresses.RUN_ENDED, this::onEnded);
        // rare and not urgent: they go with the next batch, not in a transaction of their own
        bus.<RunWarning>consumer(Addresses.RUN_WARNING, msg -> enqueue(new IngestQueue.Warning(msg.body())));
        bus.<RunArtifact>consumer(Addresses.RUN_ARTIFACT, msg -> enqueue(new IngestQueue.Artifact(msg.body())));
        for (String address : List.of(Addresses.SWEEP_DEFINED, Addresses.SWEEP_RUNG, Addresses.ENSEMBLE_RECORDED)) {
            bus.<Record>consumer(address, msg -> {
                enqueue(new IngestQueue.Recorded(msg.body()));
                drain(false);
            });
        }
        bus.<String>consumer(Addresses.STORAGE_FLUSH, this::onFlush);
        bus.<String>consumer(Addresses.RUN_RECORDED, this::onRecorded);
        timer = vertx.setPeriodic(options.batchMillis(), id -> drain(false));
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        if (!drain(true)) {
            try {
                long kept = queue.keepOnDisk();
                LOG.error("stopping with {} metric points and run events not written (the database refused them);"
                        + " they are kept in {} and will be written by the next start", kept, queue.spillFile());
            } catch (IOException e) {
                LOG.error("stopping with {} metric points not written, and cannot keep them in {}: {}", queue.points(),
                        queue.spillFile(), e.getMessage());
            }
        } else {
            queue.close();
        }
        return Future.succeededFuture();
    }

    /** Metric points received and not yet written (in memory and spilled). Any thread. */
    public long waitingPoints() {
        return waitingPoints.get();
    }

    /** Of {@link #waitingPoints()}, those in the spill file. Any thread. */
    public long spilledPoints() {
        return spilledPoints.get();
    }

    private void onStarted(Message<RunStarted> msg) {
        enqueue(new IngestQueue.Start(msg.body()));
        drain(false);
    }

    private void onMetrics(Message<MetricBatch> msg) {
        MetricBatch batch = msg.body();
        enqueue(new IngestQueue.Points(batch.runId(), batch.points()));
        if (queue.points() >= options.batchPoints() && !drainScheduled) {
            // Behind the messages already waiting for this verticle: they join the queue first, so a
            // fast publisher gets bigger transactions instead of more of them.
            drainScheduled = true;
            context.runOnContext(v -> {
                drainScheduled = false;
                drain(false);
            });
        }
    }

    private void onEnded(Message<RunEnded> msg) {
        enqueue(new IngestQueue.End(msg.body()));
        drain(false);
    }

    private void onFlush(Message<String> msg) {
        if (drain(true)) {
            msg.reply(written);
        } else {
            msg.fail(503, queue.points() + " metric points and " + queue.events()
                    + " run events are waiting for the database");
        }
    }

    /** Acknowledges a run's start: written (or queued while the database is away), or refused with the reason. */
    private void onRecorded(Message<String> msg) {
        boolean written = drain(true);
        String refused = refusedStarts.remove(msg.body());
        if (refused != null) {
            msg.fail(400, refused);
        } else {
            msg.reply(written ? "recorded" : "queued");
        }
    }

    private void enqueue(IngestQueue.Op op) {
        boolean wasSpilling = queue.spilling();
        if (queue.add(op) && !wasSpilling) {
            LOG.warn("{} metric points are waiting to be written (the database is away, or slower than they arrive);"
                    + " beyond {} in memory, spilling to {}", queue.points(), options.maxQueuedPoints(), queue.spillFile());
        }
        counts();
    }

    private void counts() {
        waitingPoints.set(queue.points());
        spilledPoints.set(queue.spilledPoints());
    }

    /**
     * Writes the queue in order until it is empty (true) or the database refuses (false, the rest kept).
     * Unless {@code force}, does nothing before the retry time after a refusal.
     */
    private boolean drain(boolean force) {
        if (queue.isEmpty()) {
            return true;
        }
        long now = System.currentTimeMillis();
        if (failing && !force && now < retryAt) {
            return false;
        }
        long before = queue.points();
        // A backlog (after an outage, or from a fast publisher) goes faster in bigger transactions.
        int batch = 10 * options.batchPoints();
        boolean isolate = false;
        try {
            while (!queue.isEmpty()) {
                IngestQueue.Op head = queue.peek();
                List<IngestQueue.Points> points = queue.peekPoints(isolate ? 1 : batch);
                try {
                    if (!points.isEmpty()) {
                        writer.insertMetrics(runPoints(points));
                        written += points.stream().mapToLong(IngestQueue.Points::points).sum();
                        queue.remove(points.size());
                    } else {
                        write(head);
                        queue.remove(1);
                    }
                    isolate = false;
                } catch (SQLException e) {
                    if (!permanent(e)) {
                        throw e;
                    }
                    if (points.size() > 1) {
                        isolate = true; // find which op the database refuses
                    } else {
                        reject(points.isEmpty() ? head : points.get(0), e);
                        queue.remove(1);
                    }
                }
                counts();
            }
            if (failing) {
                LOG.info("the database is back: wrote the {} metric points that were waiting", before);
            }
            failing = false;
            retryDelay = 0;
            return true;
        } catch (SQLException | RuntimeException e) {
            counts();
            failing = true;
            retryDelay = Math.min(MAX_RETRY_MILLIS, Math.max(options.batchMillis(), retryDelay * 2));
            retryAt = now + retryDelay;
            if (now - lastWarn >= WARN_EVERY_MILLIS) {
                lastWarn = now;
                LOG.warn("{} metric points ({} of them spilled to disk) and {} run events are waiting: the database"
                        + " refused them ({}); retrying", queue.points(), queue.spilledPoints(), queue.events(),
                        e.getMessage());
            }
            return false;
        }
    }

    private void write(IngestQueue.Op op) throws SQLException {
        writer.write(op.event());
        if (uploads != null && op instanceof IngestQueue.Artifact a) {
            uploads.store(a.artifact());
        }
    }

    private static List<RunWriter.RunPoint> runPoints(List<IngestQueue.Points> ops) {
        List<RunWriter.RunPoint> out = new ArrayList<>();
        for (IngestQueue.Points op : ops) {
            op.list().forEach(p -> out.add(new RunWriter.RunPoint(op.runId(), p)));
        }
        return out;
    }

    /** A data or constraint error: the same write would fail again, whatever the database's health. */
    static boolean permanent(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("42"));
    }

    private void reject(IngestQueue.Op op, SQLException e) {
        JsonObject json = new JsonObject().put("error", e.getMessage()).put("at", System.currentTimeMillis());
        if (op instanceof IngestQueue.Start s) {
            refusedStarts.put(s.run().runId(), firstLine(e.getMessage()));
            json.put("type", "start").put("what", "run start").put("runId", s.run().runId()).put("name", s.run().name())
                    .put("experiment", s.run().experiment());
        } else if (op instanceof IngestQueue.End end) {
            json.put("type", "end").put("what", "run end").put("runId", end.end().runId()).put("status", end.end().status().name());
        } else if (op instanceof IngestQueue.Warning w) {
            json.put("type", "warning").put("what", "warning").put("runId", w.warning().runId())
                    .put("warning", JsonObject.mapFrom(w.warning()));
        } else if (op instanceof IngestQueue.Recorded r) {
            json.put("type", "record").put("what", r.event().getClass().getSimpleName()).put("runId", "-")
                    .put("record", JsonObject.mapFrom(r.event()));
        } else if (op instanceof IngestQueue.Artifact a) {
            json.put("type", "artifact").put("what", "artifact " + a.artifact().path()).put("runId", a.artifact().runId())
                    .put("artifact", JsonObject.mapFrom(a.artifact()));
        } else {
            IngestQueue.Points p = (IngestQueue.Points) op;
            JsonArray points = new JsonArray();
            p.list().forEach(m -> points.add(new JsonArray().add(m.name()).add(m.step()).add(m.epoch()).add(m.time())
                    .add(Double.toString(m.value()))));
            json.put("type", "points").put("what", p.points() + " metric points").put("runId", p.runId()).put("points", points);
        }
        Path file = spillDir.resolve("rejected.jsonl");
        try {
            Files.writeString(file, json.encode() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException io) {
            LOG.error("cannot append to {}: {}; the refused op was {}", file, io.getMessage(), json.encode());
        }
        LOG.error("the database refused the {} of run {} ({}); it is kept in {}", json.getString("what"),
                json.getString("runId"), e.getMessage(), file);
    }

    private static String firstLine(String message) {
        String text = message == null ? "refused" : message;
        int cut = text.indexOf('\n');
        text = cut < 0 ? text : text.substring(0, cut);
        return text.length() > 500 ? text.substring(0, 497) + "..." : text;
    }

    /** Writes spill files left in the spill folder by a verticle that stopped, or a process that died. */
    private void replayLeftovers() {
        if (options.spillDir() == null) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(spillDir, "storage-*.spill")) {
            for (Path file : files) {
                if (!file.equals(queue.spillFile()) && !ownedByLiveProcess(file)) {
                    replay(file);
                }
            }
        } catch (IOException e) {
            LOG.error("cannot look for leftover spill files in {}: {}", spillDir, e.getMessage());
        }
    }

    private static boolean ownedByLiveProcess(Path file) {
        String[] parts = file.getFileName().toString().split("-");
        try {
            long pid = Long.parseLong(parts[1]);
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void replay(Path file) {
        List<IngestQueue.Op> ops;
        try {
            ops = IngestQueue.readAll(file);
        } catch (IOException e) {
            LOG.error("cannot read the leftover spill file {} ({}); it is kept", file, e.getMessage());
            return;
        }
        int done = 0;
        try {
            for (IngestQueue.Op op : ops) {
                try {
                    write(op);
                } catch (SQLException e) {
                    if (!permanent(e)) {
                        throw e;
                    }
                    reject(op, e);
                }
                done++;
            }
            Files.delete(file);
            LOG.info("wrote {} metric points left in {} by an earlier run of the storage",
                    ops.stream().mapToLong(IngestQueue.Op::points).sum(), file);
        } catch (IOException | SQLException | RuntimeException e) {
            keepRest(file, ops.subList(done, ops.size()));
            LOG.error("cannot write the leftover spill file {} ({}); its {} unwritten ops are kept for the next start",
                    file, e.getMessage(), ops.size() - done);
        }
    }

    /** Rewrites a leftover spill file with only the ops not yet written, so a later replay writes each once. */
    private static void keepRest(Path file, List<IngestQueue.Op> rest) {
        Path tmp = file.resolveSibling(file.getFileName() + ".rest");
        try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
            for (IngestQueue.Op op : rest) {
                IngestQueue.write(out, op);
            }
        } catch (IOException e) {
            LOG.error("cannot rewrite {}: {}", file, e.getMessage());
            return;
        }
        try {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.error("cannot rewrite {}: {}", file, e.getMessage());
        }
    }
}
