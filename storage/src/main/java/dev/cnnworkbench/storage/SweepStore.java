package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.RungJudged;
import dev.cnnworkbench.core.bus.SweepDefined;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sweep records: each sweep's latest definition, its planned trials and the runs that are them, and its ASHA
 * decisions. Written from the bus records ({@link SweepDefined}, a trial's {@link RunStarted}, {@link RungJudged});
 * read by the CLI (resume, refine, ensembles of a sweep) and the web. Every method is one transaction; thread-safe.
 */
public final class SweepStore {

    /**
     * A sweep's definition.
     *
     * @param domains   parameter path to its domain's spec form (JSON text), in the spec's order; empty for a migrated
     *                  sweep whose definition was never recorded
     * @param status    {@code DEFINED}, or {@code MIGRATED} (linked from old trial runs by their names)
     */
    public record Sweep(String id, String spec, String method, String metric, String direction, int trials,
                        int parallel, Long seed, Map<String, String> domains, String earlyStop, Double explosionFactor,
                        String status, String parentId, String user, Instant createdAt, Instant updatedAt) {
    }

    /**
     * A planned trial with its latest run (if any) as the store holds it.
     *
     * @param values    the trial's values, a JSON object text
     * @param objective the run's latest value of the sweep's objective metric; {@code null} when none
     * @param stoppedAt the rung at which ASHA stopped it, or {@code null}
     */
    public record Trial(int trial, String values, String runId, String runName, RunStatus status, Double objective,
                        String error, Instant startedAt, Instant endedAt, Integer stoppedAt) {
    }

    /** One ASHA judgement. */
    public record Rung(int trial, int rung, double value, double threshold, int rank, int of, boolean promoted,
                       String reason, Instant decidedAt) {
    }

    /** A run recorded as a trial of a sweep (every attempt, not only the latest). */
    public record TrialRun(String runId, int trial) {
    }

    private final Database db;

    public SweepStore(Database db) {
        this.db = db;
    }

    // ---- writing (the storage verticle) ----

    /**
     * Records a sweep's definition, replacing an earlier one of the same id, and its plan: a trial whose values
     * changed loses its run (its old run is not this trial any more); trials beyond the new count are dropped.
     */
    public void define(SweepDefined s) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                boolean migrated = "MIGRATED".equals(status(c, s.sweepId()));
                try (PreparedStatement ps = c.prepareStatement("MERGE INTO sweeps (id, spec, method, objective_metric,"
                        + " objective_goal, trials, parallel, seed, domains, early_stop, explosion_factor, status,"
                        + " parent_sweep_id, user_name, created_at, updated_at) KEY (id) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?, 'DEFINED', ?, ?, COALESCE((SELECT created_at FROM sweeps WHERE id = ?), ?), ?)")) {
                    int i = 1;
                    ps.setString(i++, s.sweepId());
                    ps.setString(i++, s.specJson());
                    ps.setString(i++, s.method());
                    ps.setString(i++, s.metric());
                    ps.setString(i++, s.direction());
                    ps.setInt(i++, s.trials());
                    ps.setInt(i++, s.parallel());
                    ps.setLong(i++, s.seed());
                    ps.setString(i++, new JsonObject(new LinkedHashMap<>(s.domains())).encode());
                    ps.setString(i++, s.earlyStop());
                    ps.setDouble(i++, s.explosionFactor());
                    ps.setString(i++, s.parentId());
                    ps.setString(i++, s.user());
                    ps.setString(i++, s.sweepId());
                    ps.setObject(i++, RunWriter.time(s.startedAt()));
                    ps.setObject(i, RunWriter.time(s.startedAt()));
                    ps.executeUpdate();
                }
                Map<Integer, String> before = plannedValues(c, s.sweepId());
                try (PreparedStatement keep = c.prepareStatement("INSERT INTO sweep_trials (sweep_id, trial, params,"
                        + " run_id) VALUES (?, ?, ?, (SELECT id FROM runs WHERE sweep_id = ?"
                        + " AND sweep_trial = ? ORDER BY started_at DESC LIMIT 1))");
                     PreparedStatement replace = c.prepareStatement("UPDATE sweep_trials SET params = ?, run_id = NULL"
                             + " WHERE sweep_id = ? AND trial = ?")) {
                    for (SweepDefined.PlannedTrial t : s.plan()) {
                        String old = before.get(t.trial());
                        if (old == null) {
                            keep.setString(1, s.sweepId());
                            keep.setInt(2, t.trial());
                            keep.setString(3, t.valuesJson());
                            keep.setString(4, s.sweepId());
                            keep.setInt(5, t.trial());
                            keep.addBatch();
                        } else if (!migrated && !new JsonObject(old).equals(new JsonObject(t.valuesJson()))) {
                            replace.setString(1, t.valuesJson());
                            replace.setString(2, s.sweepId());
                            replace.setInt(3, t.trial());
                            replace.addBatch();
                        }
                    }
                    keep.executeBatch();
                    replace.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE sweep_trials SET params = ? WHERE sweep_id = ?"
                        + " AND trial = ? AND ?")) {
                    // a migrated trial's values were inferred from its run's parameters: the definition says them
                    // now (whether its run holds them is for the resume to judge, from the run's spec)
                    for (SweepDefined.PlannedTrial t : s.plan()) {
                        ps.setString(1, t.valuesJson());
                        ps.setString(2, s.sweepId());
                        ps.setInt(3, t.trial());
                        ps.setBoolean(4, migrated);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM sweep_trials WHERE sweep_id = ? AND trial > ?")) {
                    ps.setString(1, s.sweepId());
                    ps.setInt(2, s.plan().size());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Makes a new run its sweep trial's latest run, within the caller's transaction (the run's row exists and already
     * carries {@code sweep_id} and {@code sweep_trial}). A trial of a sweep with no definition is linked by its run
     * only.
     */
    static void linkTrial(Connection c, RunStarted run) throws SQLException {
        if (run.sweepTrial() == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE sweep_trials SET run_id = ? WHERE sweep_id = ? AND trial = ?")) {
            ps.setString(1, run.runId());
            ps.setString(2, run.sweepTrial().sweepId());
            ps.setInt(3, run.sweepTrial().trial());
            ps.executeUpdate();
        }
    }

    /** Records an ASHA judgement (again for the same trial and rung: the latest). Ignored for an unknown sweep. */
    public void rung(RungJudged r) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("MERGE INTO sweep_rungs (sweep_id, trial, rung, val, threshold,"
                     + " rank, of_trials, promoted, reason, decided_at) KEY (sweep_id, trial, rung)"
                     + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM sweeps WHERE id = ?")) {
            ps.setString(1, r.sweepId());
            ps.setInt(2, r.trial());
            ps.setInt(3, r.rung());
            ps.setDouble(4, r.value());
            ps.setDouble(5, r.threshold());
            ps.setInt(6, r.rank());
            ps.setInt(7, r.of());
            ps.setBoolean(8, r.promoted());
            ps.setString(9, r.reason());
            ps.setObject(10, RunWriter.time(r.time()));
            ps.setString(11, r.sweepId());
            ps.executeUpdate();
        }
    }

    private static String status(Connection c, String sweepId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM sweeps WHERE id = ?")) {
            ps.setString(1, sweepId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Map<Integer, String> plannedValues(Connection c, String sweepId) throws SQLException {
        Map<Integer, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT trial, params FROM sweep_trials WHERE sweep_id = ?")) {
            ps.setString(1, sweepId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    // ---- reading ----

    private static final String SWEEP_COLUMNS = "id, spec, method, objective_metric, objective_goal, trials, parallel,"
            + " seed, domains, early_stop, explosion_factor, status, parent_sweep_id, user_name, created_at, updated_at";

    /** Every sweep, the most recently started first. */
    public List<Sweep> sweeps() {
        return querySweeps("SELECT " + SWEEP_COLUMNS + " FROM sweeps ORDER BY updated_at DESC, id", null);
    }

    public Optional<Sweep> sweep(String id) {
        return querySweeps("SELECT " + SWEEP_COLUMNS + " FROM sweeps WHERE id = ?", id).stream().findFirst();
    }

    private List<Sweep> querySweeps(String sql, String arg) {
        return SqlRows.query(db, "the sweeps", sql, rs -> {
            Map<String, String> domains = new LinkedHashMap<>();
            new JsonObject(rs.getString(9)).forEach(e -> domains.put(e.getKey(), String.valueOf(e.getValue())));
            Long seed = rs.getObject(8) == null ? null : rs.getLong(8);
            return new Sweep(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getInt(6), rs.getInt(7), seed, domains, rs.getString(10), SqlRows.number(rs, 11), rs.getString(12),
                    rs.getString(13), rs.getString(14), SqlRows.instant(rs, 15), SqlRows.instant(rs, 16));
        }, arg == null ? new Object[0] : new Object[] {arg});
    }

    /** The planned trials of a sweep with their latest runs, by trial number. */
    public List<Trial> trials(String sweepId) {
        return SqlRows.query(db, "the trials of sweep " + sweepId, "SELECT t.trial, t.params, r.id, r.name, r.status,"
                + " (SELECT m.val FROM metric_series m WHERE m.run_id = r.id AND m.name = s.objective_metric"
                + " AND m.points > 0), r.error, r.started_at, r.ended_at,"
                + " (SELECT MIN(g.rung) FROM sweep_rungs g WHERE g.sweep_id = t.sweep_id AND g.trial = t.trial"
                + " AND NOT g.promoted)"
                + " FROM sweep_trials t JOIN sweeps s ON s.id = t.sweep_id LEFT JOIN runs r ON r.id = t.run_id"
                + " WHERE t.sweep_id = ? ORDER BY t.trial", rs -> {
                    String status = rs.getString(5);
                    return new Trial(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            status == null ? null : RunStatus.valueOf(status), SqlRows.number(rs, 6), rs.getString(7),
                            SqlRows.instant(rs, 8), SqlRows.instant(rs, 9), SqlRows.integer(rs, 10));
                }, sweepId);
    }

    /** Every run recorded as a trial of the sweep (all attempts), oldest first. */
    public List<TrialRun> trialRuns(String sweepId) {
        return SqlRows.query(db, "the runs of sweep " + sweepId, "SELECT id, sweep_trial FROM runs WHERE sweep_id = ?"
                + " AND sweep_trial IS NOT NULL ORDER BY started_at", rs -> new TrialRun(rs.getString(1), rs.getInt(2)),
                sweepId);
    }

    /** The ASHA judgements of a sweep, by rung then trial. */
    public List<Rung> rungs(String sweepId) {
        return SqlRows.query(db, "the rungs of sweep " + sweepId, "SELECT trial, rung, val, threshold, rank, of_trials,"
                + " promoted, reason, decided_at FROM sweep_rungs WHERE sweep_id = ? ORDER BY rung, trial",
                rs -> new Rung(rs.getInt(1), rs.getInt(2), rs.getDouble(3), rs.getDouble(4), rs.getInt(5), rs.getInt(6),
                        rs.getBoolean(7), rs.getString(8), SqlRows.instant(rs, 9)), sweepId);
    }

    /** The sweep each of {@code runIds} is a trial of (absent: none), with its trial number. */
    public Map<String, TrialOf> sweepsOf(List<String> runIds) {
        Map<String, TrialOf> out = new HashMap<>();
        if (!runIds.isEmpty()) {
            SqlRows.query(db, "which sweeps runs belong to", "SELECT id, sweep_id, sweep_trial FROM runs"
                    + " WHERE sweep_id IS NOT NULL AND id IN (SELECT * FROM TABLE(x VARCHAR = ?))",
                    rs -> out.put(rs.getString(1), new TrialOf(rs.getString(2), SqlRows.integer(rs, 3))),
                    (Object) runIds.toArray(new String[0]));
        }
        return out;
    }

    /** The sweep a run is a trial of. */
    public record TrialOf(String sweepId, Integer trial) {
    }
}
