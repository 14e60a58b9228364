package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.EnsembleRecorded;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.RungJudged;
import dev.cnnworkbench.core.bus.SweepDefined;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.RunWarning;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every statement that changes runs, their metrics, warnings and artifacts. Each public method is one transaction, and is safe to
 * call from any thread; the storage verticle is the one writer of metrics in a process. Several
 * processes may write one (server) database: a metric series' row lock orders its writers.
 */
public final class RunWriter {

    /** A metric point with the run it belongs to. */
    public record RunPoint(String runId, MetricPoint point) {
    }

    private static final String DUPLICATE_KEY = "23505";

    private final Database db;
    /** Series ids by run and metric name; a series id never changes once committed. */
    private final Map<String, Map<String, Integer>> seriesIds = new ConcurrentHashMap<>();

    public RunWriter(Database db) {
        this.db = db;
    }

    /** The database this writer writes to. */
    public Database database() {
        return db;
    }

    /**
     * Writes one bus event ({@link RunStarted}, {@link MetricBatch}, {@link RunWarning}, {@link RunArtifact},
     * {@link RunEnded}, or a sweep or ensemble record: {@link SweepDefined}, {@link RungJudged},
     * {@link EnsembleRecorded}) with the method for its type; each is safe to deliver twice.
     *
     * @throws IllegalArgumentException for any other type
     */
    public void write(Record event) throws SQLException {
        if (event instanceof RunStarted s) {
            insertRun(s);
        } else if (event instanceof MetricBatch m) {
            insertMetrics(m.points().stream().map(p -> new RunPoint(m.runId(), p)).toList());
        } else if (event instanceof RunWarning w) {
            insertWarning(w);
        } else if (event instanceof RunArtifact a) {
            putArtifact(a);
        } else if (event instanceof RunEnded e) {
            endRun(e);
        } else if (event instanceof SweepDefined d) {
            new SweepStore(db).define(d);
        } else if (event instanceof RungJudged r) {
            new SweepStore(db).rung(r);
        } else if (event instanceof EnsembleRecorded e) {
            new EnsembleStore(db).record(e);
        } else {
            throw new IllegalArgumentException("not a run event: " + event);
        }
    }

    /**
     * Records a new run as {@code RUNNING} with its flattened parameters, and its experiment if new. A
     * run already recorded is left as it is, so a start delivered twice (a retry) does no harm. A
     * {@linkplain RunStarted#resumed resumed} run goes from {@code INTERRUPTED} back to {@code RUNNING} in its new
     * process (its end and error cleared); in any other state it is left as it is.
     */
    public void insertRun(RunStarted run) throws SQLException {
        if (run.resumed()) {
            resumeRun(run);
            return;
        }
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                if (!exists(c, run.runId())) {
                    insertExperiment(c, run);
                    insertRunRow(c, run);
                    insertParams(c, run);
                    SweepStore.linkTrial(c, run);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                // Another writer recorded the same start first: recorded is what was asked.
                if (!DUPLICATE_KEY.equals(e.getSQLState()) || !exists(c, run.runId())) {
                    throw e;
                }
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private void resumeRun(RunStarted run) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = ?, ended_at = NULL, error = NULL,"
                     + " host = ?, pid = ?, heartbeat_at = ? WHERE id = ? AND status = ?")) {
            ps.setString(1, RunStatus.RUNNING.name());
            ps.setString(2, run.host());
            ps.setLong(3, run.pid());
            ps.setObject(4, time(run.startedAt()));
            ps.setString(5, run.runId());
            ps.setString(6, RunStatus.INTERRUPTED.name());
            ps.executeUpdate();
        }
    }

    private static boolean exists(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM runs WHERE id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void insertExperiment(Connection c, RunStarted run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO experiments (name, created_at, created_by)"
                + " SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM experiments WHERE name = ?)")) {
            ps.setString(1, run.experiment());
            ps.setObject(2, time(run.startedAt()));
            ps.setString(3, run.user());
            ps.setString(4, run.experiment());
            ps.executeUpdate();
        } catch (SQLException e) {
            // Another process created it between the check and the insert: it exists, which is the point.
            if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static void insertRunRow(Connection c, RunStarted run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (id, name, experiment, status, spec,"
                + " provenance, user_name, host, pid, started_at, heartbeat_at, sweep_id, sweep_trial)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, run.runId());
            ps.setString(2, run.name());
            ps.setString(3, run.experiment());
            ps.setString(4, RunStatus.RUNNING.name());
            ps.setString(5, run.specJson());
            ps.setString(6, new JsonObject(new LinkedHashMap<>(run.provenance())).encode());
            ps.setString(7, run.user());
            ps.setString(8, run.host());
            ps.setLong(9, run.pid());
            ps.setObject(10, time(run.startedAt()));
            ps.setObject(11, time(run.startedAt()));
            ps.setString(12, run.sweepTrial() == null ? null : run.sweepTrial().sweepId());
            ps.setObject(13, run.sweepTrial() == null ? null : run.sweepTrial().trial(), java.sql.Types.INTEGER);
            ps.executeUpdate();
        }
    }

    private static void insertParams(Connection c, RunStarted run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO run_params (run_id, name, num_value, text_value) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, Object> p : run.params().entrySet()) {
                ps.setString(1, run.runId());
                ps.setString(2, p.getKey());
                if (p.getValue() instanceof Number n) {
                    ps.setDouble(3, n.doubleValue());
                } else {
                    ps.setNull(3, java.sql.Types.DOUBLE);
                }
                ps.setString(4, String.valueOf(p.getValue()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Longest tag accepted. */
    public static final int MAX_TAG_LENGTH = 64;

    /**
     * Adds tags to a run (those it has already are kept once). Tags are trimmed; each must be 1 to
     * {@link #MAX_TAG_LENGTH} characters without control characters. Returns false if the run does not exist.
     *
     * @throws IllegalArgumentException naming the first invalid tag
     */
    public boolean addTags(String runId, Collection<String> tags) throws SQLException {
        List<String> clean = tags.stream().map(RunWriter::checkTag).distinct().toList();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                if (!exists(c, runId)) {
                    c.rollback();
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement("MERGE INTO run_tags (run_id, tag) KEY (run_id, tag) VALUES (?, ?)")) {
                    for (String tag : clean) {
                        ps.setString(1, runId);
                        ps.setString(2, tag);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Removes tags from a run; returns how many it had. */
    public int removeTags(String runId, Collection<String> tags) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM run_tags WHERE run_id = ? AND tag = ANY(?)")) {
            ps.setString(1, runId);
            ps.setObject(2, tags.stream().map(String::trim).toArray(String[]::new));
            return ps.executeUpdate();
        }
    }

    /** Replaces a run's notes ({@code null} or blank clears them); returns false if the run does not exist. */
    public boolean setNotes(String runId, String notes) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE runs SET notes = ? WHERE id = ?")) {
            ps.setString(1, notes == null || notes.isBlank() ? null : notes);
            ps.setString(2, runId);
            return ps.executeUpdate() == 1;
        }
    }

    private static String checkTag(String tag) {
        String t = tag == null ? "" : tag.trim();
        if (t.isEmpty() || t.length() > MAX_TAG_LENGTH || t.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("tag must be 1 to " + MAX_TAG_LENGTH
                    + " characters without control characters, got '" + tag + "'");
        }
        return t;
    }

    /**
     * Appends points (any runs, in arrival order) in one transaction: each metric's points, its latest
     * value and point count, and its min/max pyramid.
     */
    public void insertMetrics(List<RunPoint> points) throws SQLException {
        if (points.isEmpty()) {
            return;
        }
        Map<String, Map<String, List<MetricPoint>>> byRun = new LinkedHashMap<>();
        for (RunPoint rp : points) {
            byRun.computeIfAbsent(rp.runId(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(rp.point().name(), k -> new ArrayList<>()).add(rp.point());
        }
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                Map<String, Map<String, Integer>> found = new HashMap<>();
                MetricRollups.Batch rollups = new MetricRollups.Batch();
                try (PreparedStatement alloc = c.prepareStatement(ALLOCATE);
                     PreparedStatement insert = c.prepareStatement(MetricChunks.INSERT)) {
                    for (Map.Entry<String, Map<String, List<MetricPoint>>> run : byRun.entrySet()) {
                        for (Map.Entry<String, List<MetricPoint>> metric : run.getValue().entrySet()) {
                            int series = seriesId(c, run.getKey(), metric.getKey(), found);
                            List<MetricPoint> ps = metric.getValue();
                            MetricChunks.add(insert, series, allocate(alloc, series, ps), ps);
                            rollups.add(series, ps);
                        }
                    }
                    insert.executeBatch();
                }
                rollups.write(c);
                c.commit();
                // Only committed ids may be cached: a rolled-back series row does not exist.
                found.forEach((run, ids) -> seriesIds.computeIfAbsent(run, k -> new ConcurrentHashMap<>()).putAll(ids));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static final String ALLOCATE = "SELECT points FROM OLD TABLE (UPDATE metric_series SET"
            + " points = points + ?, min_step = LEAST(COALESCE(min_step, ?), ?),"
            + " max_step = GREATEST(COALESCE(max_step, ?), ?), step = ?, epoch = ?, wall_time = ?, val = ? WHERE id = ?)";

    /**
     * Reserves arrival numbers for {@code ps} in series {@code series} and moves its latest value; returns
     * the first number. The row lock taken here orders concurrent writers of one series.
     */
    private static long allocate(PreparedStatement alloc, int series, List<MetricPoint> ps) throws SQLException {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (MetricPoint p : ps) {
            min = Math.min(min, p.step());
            max = Math.max(max, p.step());
        }
        MetricPoint last = ps.get(ps.size() - 1);
        alloc.setLong(1, ps.size());
        alloc.setLong(2, min);
        alloc.setLong(3, min);
        alloc.setLong(4, max);
        alloc.setLong(5, max);
        alloc.setLong(6, last.step());
        alloc.setInt(7, last.epoch());
        alloc.setLong(8, last.time());
        alloc.setDouble(9, last.value());
        alloc.setInt(10, series);
        try (ResultSet rs = alloc.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("metric series " + series + " vanished while points were written to it");
            }
            return rs.getLong(1);
        }
    }

    /** The id of a run's metric series, creating the series on first use. */
    private int seriesId(Connection c, String runId, String name, Map<String, Map<String, Integer>> found)
            throws SQLException {
        Map<String, Integer> cached = seriesIds.get(runId);
        Integer id = cached == null ? null : cached.get(name);
        if (id == null) {
            id = lookupSeries(c, runId, name);
        }
        if (id == null) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO metric_series (run_id, name) VALUES (?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, runId);
                ps.setString(2, name);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getInt(1);
                }
            } catch (SQLException e) {
                // Another writer created the series meanwhile (H2 waited for its commit): use that one.
                id = DUPLICATE_KEY.equals(e.getSQLState()) ? lookupSeries(c, runId, name) : null;
                if (id == null) {
                    throw e;
                }
            }
        }
        found.computeIfAbsent(runId, k -> new HashMap<>()).put(name, id);
        return id;
    }

    private static Integer lookupSeries(Connection c, String runId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM metric_series WHERE run_id = ? AND name = ?")) {
            ps.setString(1, runId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    /** Longest warning message kept; a longer one is cut there, ending in an ellipsis. */
    public static final int MAX_WARNING_LENGTH = 4_000;

    /**
     * Records a warning on its run. A warning equal to one the run already has (kind, step, message and time) is
     * not recorded again, so a warning delivered twice (a retry, a replayed spill file) is kept once.
     */
    public void insertWarning(RunWarning w) throws SQLException {
        String message = w.message() == null || w.message().length() <= MAX_WARNING_LENGTH ? w.message()
                : w.message().substring(0, MAX_WARNING_LENGTH - 1) + "\u2026";
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO run_warnings (run_id, kind, step, message, created_at)"
                     + " SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM run_warnings WHERE run_id = ? AND kind = ?"
                     + " AND step = ? AND message = ? AND created_at = ?)")) {
            for (int i : new int[] {0, 5}) {
                ps.setString(i + 1, w.runId());
                ps.setString(i + 2, w.kind());
                ps.setLong(i + 3, w.step());
                ps.setString(i + 4, message);
                ps.setObject(i + 5, time(w.time()));
            }
            ps.executeUpdate();
        }
    }

    /**
     * Indexes a file of a run under its path: a path announced again (the file was rewritten) updates the row,
     * which keeps its id.
     *
     * @throws SQLException state {@code 22023} (a data error: no retry would help) when the path is not
     *                      {@linkplain ArtifactPaths#isSafe safe}
     */
    public void putArtifact(RunArtifact a) throws SQLException {
        if (!ArtifactPaths.isSafe(a.path())) {
            throw new SQLException("artifact path '" + a.path() + "' of run " + a.runId() + " is not a relative path"
                    + " inside the artifacts folder", "22023");
        }
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("MERGE INTO artifacts (run_id, kind, name, path, size_bytes, sha256,"
                     + " media_type, step, epoch, created_at) KEY (path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.runId());
            ps.setString(2, a.kind());
            ps.setString(3, a.name());
            ps.setString(4, a.path());
            ps.setLong(5, a.sizeBytes());
            ps.setString(6, a.sha256());
            ps.setString(7, a.mediaType());
            ps.setLong(8, a.step());
            ps.setInt(9, a.epoch());
            ps.setObject(10, time(a.time()));
            ps.executeUpdate();
        }
    }

    /** Records a run's final status; a run already final keeps its first end. */
    public void endRun(RunEnded end) throws SQLException {
        seriesIds.remove(end.runId());
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ? AND status = 'RUNNING'")) {
            ps.setString(1, end.status().name());
            ps.setObject(2, time(end.endedAt()));
            ps.setString(3, end.error());
            ps.setString(4, end.runId());
            ps.executeUpdate();
        }
    }

    /**
     * Marks {@code INTERRUPTED} every run still {@code RUNNING} on {@code host} whose process is gone.
     * Returns the ids it marked.
     */
    public List<String> markDeadRunsInterrupted(String host) throws SQLException {
        List<String> dead = new ArrayList<>();
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, pid FROM runs WHERE status = 'RUNNING' AND host = ?")) {
                ps.setString(1, host);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long pid = rs.getLong(2);
                        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                        if (!alive) {
                            dead.add(rs.getString(1));
                        }
                    }
                }
            }
            for (String id : dead) {
                endRun(new RunEnded(id, RunStatus.INTERRUPTED, "its process on " + host + " ended without recording an end",
                        System.currentTimeMillis()));
            }
        }
        return dead;
    }

    static OffsetDateTime time(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
