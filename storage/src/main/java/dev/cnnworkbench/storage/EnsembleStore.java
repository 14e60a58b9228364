package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.EnsembleRecorded;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The ensemble records: what each ensemble averaged (run ids, or snapshot files with their SHA-256), how, what each
 * member and each number of members scored, the test against the best member, and what training it cost. Written
 * from {@link EnsembleRecorded}; read by the web. Every method is one transaction; thread-safe.
 */
public final class EnsembleStore {

    /**
     * One ensemble.
     *
     * @param runId          the run that scored it
     * @param sourceRunId    the run whose snapshots it averages (snapshot ensembles), else {@code null}
     * @param bestMemberAccuracy the most accurate member's accuracy
     * @param budgetSeconds  the training time of the runs it averages (each run once), seconds
     * @param budgetEpochs   their training epochs ({@code train.epochs}), summed
     * @param experiment     the experiment of the run that scored it
     */
    public record Ensemble(String id, String runId, String name, String kind, String sourceRunId, String sweepId,
                           String combination, String split, int examples, double accuracy, Double loss, int bestMember,
                           double bestMemberAccuracy, String test, Integer onlyEnsemble, Integer onlyBest, Double pValue,
                           int members, Double budgetSeconds, Double budgetEpochs, String experiment, Instant createdAt) {

        /** The ensemble's accuracy minus its best member's. */
        public double gain() {
            return accuracy - bestMemberAccuracy;
        }
    }

    /** A member: a run's final network ({@code artifact} null) or a snapshot file. */
    public record Member(int position, String runId, String artifact, String sha256, String label, double accuracy,
                         Double loss) {
    }

    /** The ensemble of the first {@code members} members. */
    public record Result(int members, double accuracy, Double loss) {
    }

    private final Database db;

    public EnsembleStore(Database db) {
        this.db = db;
    }

    /** Records an ensemble (again: left as it is). */
    public void record(EnsembleRecorded e) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ensembles WHERE id = ?")) {
                    ps.setString(1, e.ensembleId());
                    if (ps.executeQuery().next()) {
                        c.rollback();
                        return;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ensembles (id, run_id, name, kind,"
                        + " source_run_id, sweep_id, combination, eval_split, examples, accuracy, loss, best_member,"
                        + " test_method, only_ensemble, only_best, p_value, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int i = 1;
                    ps.setString(i++, e.ensembleId());
                    ps.setString(i++, e.runId());
                    ps.setString(i++, e.name());
                    ps.setString(i++, e.kind());
                    ps.setString(i++, e.sourceRunId());
                    ps.setString(i++, e.sweepId());
                    ps.setString(i++, e.combination());
                    ps.setString(i++, e.split());
                    ps.setInt(i++, e.examples());
                    ps.setDouble(i++, e.accuracy());
                    ps.setDouble(i++, e.loss());
                    ps.setInt(i++, e.bestMember());
                    ps.setString(i++, e.test());
                    ps.setInt(i++, e.onlyEnsemble());
                    ps.setInt(i++, e.onlyBest());
                    ps.setDouble(i++, e.pValue());
                    ps.setObject(i, RunWriter.time(e.time()));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ensemble_members (ensemble_id, position,"
                        + " run_id, artifact, sha256, label, accuracy, loss) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (int m = 0; m < e.members().size(); m++) {
                        EnsembleRecorded.Member member = e.members().get(m);
                        ps.setString(1, e.ensembleId());
                        ps.setInt(2, m + 1);
                        ps.setString(3, member.runId());
                        ps.setString(4, member.artifact());
                        ps.setString(5, member.sha256());
                        ps.setString(6, member.label());
                        ps.setDouble(7, member.accuracy());
                        ps.setDouble(8, member.loss());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ensemble_results (ensemble_id, members,"
                        + " accuracy, loss) VALUES (?, ?, ?, ?)")) {
                    for (EnsembleRecorded.Prefix p : e.byMembers()) {
                        ps.setString(1, e.ensembleId());
                        ps.setInt(2, p.members());
                        ps.setDouble(3, p.accuracy());
                        if (Double.isFinite(p.loss())) {
                            ps.setDouble(4, p.loss());
                        } else {
                            ps.setNull(4, Types.DOUBLE);
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException ex) {
                c.rollback();
                throw ex;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static final String SELECT = "SELECT e.id, e.run_id, e.name, e.kind, e.source_run_id, e.sweep_id,"
            + " e.combination, e.eval_split, e.examples, e.accuracy, e.loss, e.best_member,"
            + " (SELECT m.accuracy FROM ensemble_members m WHERE m.ensemble_id = e.id AND m.position = e.best_member + 1),"
            + " e.test_method, e.only_ensemble, e.only_best, e.p_value,"
            + " (SELECT COUNT(*) FROM ensemble_members m WHERE m.ensemble_id = e.id),"
            // the runs trained for it: the snapshot run, or each member's run once
            + " (SELECT SUM(DATEDIFF('MILLISECOND', r.started_at, r.ended_at)) / 1000.0 FROM runs r WHERE r.id IN"
            + "   (SELECT COALESCE(e.source_run_id, m.run_id) FROM ensemble_members m WHERE m.ensemble_id = e.id)),"
            + " (SELECT SUM(p.num_value) FROM run_params p WHERE p.name = 'train.epochs' AND p.run_id IN"
            + "   (SELECT COALESCE(e.source_run_id, m.run_id) FROM ensemble_members m WHERE m.ensemble_id = e.id)),"
            + " r.experiment, e.created_at FROM ensembles e JOIN runs r ON r.id = e.run_id";

    /** Every ensemble, newest first. */
    public List<Ensemble> ensembles() {
        return SqlRows.query(db, "the ensembles", SELECT + " ORDER BY e.created_at DESC, e.id", EnsembleStore::row);
    }

    /** One ensemble by its id, or by the id of the run that recorded it (its newest ensemble). */
    public Optional<Ensemble> ensemble(String idOrRun) {
        List<Ensemble> byId = SqlRows.query(db, "ensemble " + idOrRun, SELECT + " WHERE e.id = ?", EnsembleStore::row,
                idOrRun);
        return !byId.isEmpty() ? Optional.of(byId.get(0)) : SqlRows.query(db, "the ensembles of run " + idOrRun,
                SELECT + " WHERE e.run_id = ? ORDER BY e.created_at DESC", EnsembleStore::row, idOrRun).stream().findFirst();
    }

    private static Ensemble row(ResultSet rs) throws SQLException {
        return new Ensemble(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getInt(9), rs.getDouble(10), SqlRows.number(rs, 11), rs.getInt(12), rs.getDouble(13), rs.getString(14),
                SqlRows.integer(rs, 15), SqlRows.integer(rs, 16), SqlRows.number(rs, 17), rs.getInt(18),
                SqlRows.number(rs, 19), SqlRows.number(rs, 20), rs.getString(21), SqlRows.instant(rs, 22));
    }

    /** An ensemble's members in joining order. */
    public List<Member> members(String ensembleId) {
        return SqlRows.query(db, "the members of ensemble " + ensembleId, "SELECT position, run_id, artifact, sha256,"
                + " label, accuracy, loss FROM ensemble_members WHERE ensemble_id = ? ORDER BY position",
                rs -> new Member(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getDouble(6), SqlRows.number(rs, 7)), ensembleId);
    }

    /** Accuracy and loss by number of members, 1 to all. */
    public List<Result> results(String ensembleId) {
        return SqlRows.query(db, "the results of ensemble " + ensembleId, "SELECT members, accuracy, loss"
                + " FROM ensemble_results WHERE ensemble_id = ? ORDER BY members",
                rs -> new Result(rs.getInt(1), rs.getDouble(2), SqlRows.number(rs, 3)), ensembleId);
    }
}
