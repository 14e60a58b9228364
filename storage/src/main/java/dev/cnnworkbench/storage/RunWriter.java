package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every statement that changes runs and metrics. Each public method is one transaction. Not
 * thread-safe: one writer (the storage verticle) per database.
 */
public final class RunWriter {

    /** A metric point with the run it belongs to. */
    public record RunPoint(String runId, MetricPoint point) {
    }

    private final Database db;

    public RunWriter(Database db) {
        this.db = db;
    }

    /** Records a new run as {@code RUNNING} with its flattened parameters. */
    public void insertRun(RunStarted run) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (id, name, experiment, status, spec,"
                    + " provenance, user_name, host, pid, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                ps.executeUpdate();
            }
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
            c.commit();
        }
    }

    /** Appends points (any runs, in arrival order) and moves each metric's latest value forward. */
    public void insertMetrics(List<RunPoint> points) throws SQLException {
        if (points.isEmpty()) {
            return;
        }
        Map<String, RunPoint> latest = new LinkedHashMap<>();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO metrics (run_id, name, step, epoch, wall_time, val) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (RunPoint rp : points) {
                    bind(ps, rp);
                    ps.addBatch();
                    latest.put(rp.runId() + '\u0000' + rp.point().name(), rp);
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO latest_metrics (run_id, name, step, epoch,"
                    + " wall_time, val) KEY (run_id, name) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (RunPoint rp : latest.values()) {
                    bind(ps, rp);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    private static void bind(PreparedStatement ps, RunPoint rp) throws SQLException {
        MetricPoint p = rp.point();
        ps.setString(1, rp.runId());
        ps.setString(2, p.name());
        ps.setLong(3, p.step());
        ps.setInt(4, p.epoch());
        ps.setLong(5, p.time());
        ps.setDouble(6, p.value());
    }

    /** Records a run's final status; a run already final keeps its first end. */
    public void endRun(RunEnded end) throws SQLException {
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
