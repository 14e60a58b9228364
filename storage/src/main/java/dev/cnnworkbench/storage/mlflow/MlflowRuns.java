package dev.cnnworkbench.storage.mlflow;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL for what MLflow clients record on runs besides their start, metrics and end (which go over the event bus
 * like any trainer's): parameters logged after the start, tags with values, soft deletion, renames.
 *
 * <p>Tags: a plain tag of the dashboard ({@code run_tags}) is, for MLflow, a tag with an empty value. A tag an MLflow
 * client sets with an empty value and a key that is a valid plain tag becomes a plain tag (so the dashboard shows and
 * filters it); any other tag is kept with its value in {@code run_tag_values}. Three tags map onto run columns:
 * {@value #RUN_NAME} is the run's name, {@value #NOTE} its notes and {@value #USER} its user (not settable). Every method is one transaction; any thread.
 */
public final class MlflowRuns {

    /** MLflow's tag for a run's name. */
    public static final String RUN_NAME = "mlflow.runName";
    /** MLflow's tag for a run's user: the run's {@code user_name}, set by who creates it, never by a tag. */
    public static final String USER = "mlflow.user";
    /** MLflow's tag for a run's (or an experiment's) description. */
    public static final String NOTE = "mlflow.note.content";

    /**
     * What the API checks before a write: who owns the run, whether it is deleted, its status, its experiment.
     *
     * @param experimentId the MLflow id of its experiment
     */
    public record RunState(String runId, String user, boolean deleted, String status, long experimentId) {
    }

    /** A parameter logged again with another value (MLflow's parameters never change). */
    public static final class ParamConflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ParamConflict(String key, String old, String value) {
            super("param '" + key + "' already has the value '" + old + "'; a run's params cannot change (new value '"
                    + value + "')", null, false, false);
        }
    }

    private final Database db;

    public MlflowRuns(Database db) {
        this.db = db;
    }

    public Optional<RunState> state(String runId) {
        return db.inTransaction("read run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT r.user_name, r.lifecycle_stage, r.status, e.mlflow_id"
                    + " FROM runs r LEFT JOIN experiments e ON e.name = r.experiment WHERE r.id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new RunState(runId, rs.getString(1), "deleted".equals(rs.getString(2)),
                            rs.getString(3), rs.getLong(4))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Records parameters (numbers also as numbers, so the dashboard compares them as such); one logged again with
     * the same value is kept once.
     *
     * @throws ParamConflict when one has another value already; nothing of this call is then recorded
     */
    public void logParams(String runId, Map<String, String> params) {
        if (params.isEmpty()) {
            return;
        }
        db.inTransaction("log params of run " + runId, c -> {
            Map<String, String> old = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, text_value FROM run_params WHERE run_id = ?"
                    + " AND name = ANY(?)")) {
                ps.setString(1, runId);
                ps.setObject(2, params.keySet().toArray(String[]::new));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        old.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO run_params (run_id, name, num_value, text_value) VALUES (?, ?, ?, ?)")) {
                for (Map.Entry<String, String> p : params.entrySet()) {
                    String was = old.get(p.getKey());
                    if (was != null) {
                        if (!was.equals(p.getValue())) {
                            throw new ParamConflict(p.getKey(), was, p.getValue());
                        }
                        continue;
                    }
                    ps.setString(1, runId);
                    ps.setString(2, p.getKey());
                    Double num = number(p.getValue());
                    if (num == null) {
                        ps.setNull(3, java.sql.Types.DOUBLE);
                    } else {
                        ps.setDouble(3, num);
                    }
                    ps.setString(4, p.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static Double number(String text) {
        try {
            double d = Double.parseDouble(text.trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Sets tags (see the class comment for where each goes). */
    public void setTags(String runId, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        db.inTransaction("tag run " + runId, c -> {
            for (Map.Entry<String, String> t : tags.entrySet()) {
                String key = t.getKey();
                String value = t.getValue();
                if (USER.equals(key)) {
                    continue; // a run's user is who logged it (the token's), not what a client claims
                }
                if (RUN_NAME.equals(key)) {
                    if (!value.isBlank()) {
                        MlflowExperiments.update(c, "UPDATE runs SET name = ? WHERE id = ?", value, runId);
                    }
                } else if (NOTE.equals(key)) {
                    MlflowExperiments.update(c, "UPDATE runs SET notes = ? WHERE id = ?", value.isBlank() ? null : value, runId);
                } else if (value.isEmpty() && plainTag(key)) {
                    MlflowExperiments.update(c, "DELETE FROM run_tag_values WHERE run_id = ? AND tag_key = ?", runId, key);
                    MlflowExperiments.update(c, "MERGE INTO run_tags (run_id, tag) KEY (run_id, tag) VALUES (?, ?)", runId, key);
                } else {
                    MlflowExperiments.update(c, "DELETE FROM run_tags WHERE run_id = ? AND tag = ?", runId, key);
                    MlflowExperiments.update(c, "MERGE INTO run_tag_values (run_id, tag_key, tag_value) KEY (run_id, tag_key)"
                            + " VALUES (?, ?, ?)", runId, key, value);
                }
            }
            return null;
        });
    }

    /** Whether {@code key} can be a plain tag of the dashboard as it is (no trimming, no control characters). */
    static boolean plainTag(String key) {
        return !key.isEmpty() && key.length() <= RunWriter.MAX_TAG_LENGTH && key.equals(key.trim())
                && key.chars().noneMatch(Character::isISOControl);
    }

    /** Removes a tag, plain or with a value; false when the run had no such tag. */
    public boolean deleteTag(String runId, String key) {
        return db.inTransaction("remove tag " + key + " of run " + runId, c ->
                MlflowExperiments.update(c, "DELETE FROM run_tag_values WHERE run_id = ? AND tag_key = ?", runId, key)
                        + MlflowExperiments.update(c, "DELETE FROM run_tags WHERE run_id = ? AND tag = ?", runId, key) > 0);
    }

    /** Soft-deletes or restores a run; false when there is no such run. */
    public boolean setDeleted(String runId, boolean deleted) {
        return db.inTransaction((deleted ? "delete" : "restore") + " run " + runId, c ->
                MlflowExperiments.update(c, "UPDATE runs SET lifecycle_stage = ? WHERE id = ?",
                        deleted ? "deleted" : "active", runId) == 1);
    }

    /** Sets a run's status back to RUNNING (an MLflow client may reopen a run); false when there is no such run. */
    public boolean reopen(String runId) {
        return db.inTransaction("reopen run " + runId, c ->
                MlflowExperiments.update(c, "UPDATE runs SET status = 'RUNNING', ended_at = NULL, error = NULL"
                        + " WHERE id = ?", runId) == 1);
    }

    /**
     * What MLflow shows of a run besides the workbench's run summary: lifecycle, experiment id, tags with values,
     * parameters as text, the latest point of each metric.
     */
    public record Extra(boolean deleted, long experimentId, Map<String, String> tags, Map<String, String> params,
                        List<MetricPoint> metrics) {

        public Extra {
            tags = Map.copyOf(tags);
            params = Map.copyOf(params);
            metrics = List.copyOf(metrics);
        }
    }

    /** {@link Extra} of each of these runs (absent runs are left out). */
    public Map<String, Extra> extras(List<String> runIds) {
        if (runIds.isEmpty()) {
            return Map.of();
        }
        return db.inTransaction("read runs", c -> {
            String[] ids = runIds.toArray(String[]::new);
            Map<String, Map<String, String>> tags = grouped(c, "SELECT run_id, tag_key, tag_value FROM run_tag_values"
                    + " WHERE run_id = ANY(?) ORDER BY tag_key", ids);
            Map<String, Map<String, String>> params = grouped(c, "SELECT run_id, name, text_value FROM run_params"
                    + " WHERE run_id = ANY(?) ORDER BY name", ids);
            Map<String, List<MetricPoint>> metrics = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, name, step, epoch, wall_time, val FROM"
                    + " metric_series WHERE run_id = ANY(?) AND points > 0 ORDER BY name")) {
                ps.setObject(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        metrics.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new MetricPoint(rs.getString(2),
                                rs.getLong(3), rs.getInt(4), rs.getLong(5), rs.getDouble(6)));
                    }
                }
            }
            Map<String, Extra> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.id, r.lifecycle_stage, e.mlflow_id FROM runs r"
                    + " LEFT JOIN experiments e ON e.name = r.experiment WHERE r.id = ANY(?)")) {
                ps.setObject(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new Extra("deleted".equals(rs.getString(2)), rs.getLong(3),
                                tags.getOrDefault(rs.getString(1), Map.of()), params.getOrDefault(rs.getString(1), Map.of()),
                                metrics.getOrDefault(rs.getString(1), List.of())));
                    }
                }
            }
            return out;
        });
    }

    private static Map<String, Map<String, String>> grouped(Connection c, String sql, String[] ids) throws SQLException {
        Map<String, Map<String, String>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        return out;
    }

    /**
     * The runs with a tag {@code key} whose value compares with {@code value} by {@code op} ({@code =, !=, LIKE,
     * ILIKE}); a plain tag's value is the empty string.
     */
    public Set<String> withTag(String key, String op, String value) {
        String cmp = switch (op) {
            case "=", "!=", "LIKE" -> "v " + op + " ?";
            case "ILIKE" -> "LOWER(v) LIKE LOWER(?)";
            default -> throw new IllegalArgumentException("no tag comparison " + op);
        };
        return db.inTransaction("find runs by tag " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM (SELECT run_id, tag_value AS v FROM"
                    + " run_tag_values WHERE tag_key = ? UNION ALL SELECT run_id, '' AS v FROM run_tags WHERE tag = ?) t"
                    + " WHERE " + cmp)) {
                ps.setString(1, key);
                ps.setString(2, key);
                ps.setString(3, value);
                Set<String> out = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    /** The ids of the runs in one lifecycle stage ({@code deleted} or {@code active}) of these experiments. */
    public List<String> inStage(String stage, List<String> experiments) {
        return db.inTransaction("list " + stage + " runs", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM runs WHERE lifecycle_stage = ?"
                    + " AND experiment = ANY(?)")) {
                ps.setString(1, stage);
                ps.setObject(2, experiments.toArray(String[]::new));
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }
}
