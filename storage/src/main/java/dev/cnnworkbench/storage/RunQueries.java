package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reads runs and metrics: the one query API the CLI and the web use. Thread-safe. */
public final class RunQueries {

    private final Database db;

    public RunQueries(Database db) {
        this.db = db;
    }

    /** Every run, newest first, with its parameters and latest metrics. */
    public List<RunSummary> listRuns() {
        try (Connection c = db.connection()) {
            Map<String, Map<String, Object>> params = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, name, num_value, text_value FROM run_params");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double num = rs.getDouble(3);
                    Object value = rs.wasNull() ? rs.getString(4) : (Object) num;
                    params.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), value);
                }
            }
            Map<String, Map<String, Double>> metrics = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, name, val FROM latest_metrics");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    metrics.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getDouble(3));
                }
            }
            List<RunSummary> runs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, experiment, status, user_name, host,"
                    + " started_at, ended_at, error FROM runs ORDER BY started_at DESC, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    runs.add(new RunSummary(id, rs.getString(2), rs.getString(3), RunStatus.valueOf(rs.getString(4)),
                            rs.getString(5), rs.getString(6), instant(rs.getObject(7, OffsetDateTime.class)),
                            instant(rs.getObject(8, OffsetDateTime.class)), rs.getString(9),
                            params.getOrDefault(id, Map.of()), metrics.getOrDefault(id, Map.of())));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw new StorageException("cannot list runs: " + e.getMessage(), e);
        }
    }

    /** One run by id. */
    public Optional<RunSummary> run(String id) {
        return listRuns().stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** Every point of one metric of one run, in step order. */
    public List<MetricPoint> history(String runId, String metric) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT name, step, epoch, wall_time, val FROM metrics"
                     + " WHERE run_id = ? AND name = ? ORDER BY step")) {
            ps.setString(1, runId);
            ps.setString(2, metric);
            List<MetricPoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new MetricPoint(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getDouble(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("cannot read metric " + metric + " of run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** The resolved spec JSON and provenance JSON of a run. */
    public Map<String, String> specAndProvenance(String runId) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT spec, provenance FROM runs WHERE id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, String> out = new LinkedHashMap<>();
                if (rs.next()) {
                    out.put("spec", rs.getString(1));
                    out.put("provenance", rs.getString(2));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read run " + runId + ": " + e.getMessage(), e);
        }
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
