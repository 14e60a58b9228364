package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.sanity.CheckResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code sanity_checks} table: the results of {@code workbench check SPEC}, one row per check, grouped by a check
 * session (one invocation), with the experiment and the resolved spec they were run on. Each method is one
 * transaction and safe from any thread.
 */
public final class SanityCheckStore {

    /**
     * One invocation of the checks.
     *
     * @param sessionId   a fresh id ({@code [A-Za-z0-9_-]}, at most 32 characters)
     * @param experiment  the spec's experiment
     * @param spec        the resolved spec, as JSON
     * @param runId       the run the checks belong to, or {@code null} (checks run before any training)
     * @param user        who ran them
     * @param startedAt   when, in epoch milliseconds
     */
    public record Session(String sessionId, String experiment, String spec, String runId, String user, long startedAt) {

        public Session {
            Objects.requireNonNull(sessionId);
            if (!sessionId.matches("[A-Za-z0-9_\\-]{1,32}")) {
                throw new IllegalArgumentException("not a session id: " + sessionId);
            }
        }
    }

    /** A stored row: the session's and the check's. */
    public record Row(String sessionId, String experiment, String checkName, boolean passed, Double measured,
                      String expected, String detail, String user) {
    }

    private final Database db;

    public SanityCheckStore(Database db) {
        this.db = db;
    }

    /** Stores {@code results} under {@code session}, all or nothing. A skipped check is stored as passed. */
    public void write(Session session, List<CheckResult> results) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sanity_checks (session_id, experiment, spec,"
                    + " run_id, check_name, passed, measured, expected, detail, user_name, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (CheckResult r : results) {
                    ps.setString(1, session.sessionId());
                    ps.setString(2, session.experiment());
                    ps.setString(3, session.spec());
                    ps.setString(4, session.runId());
                    ps.setString(5, r.name());
                    ps.setBoolean(6, r.passed());
                    if (Double.isFinite(r.measured())) {
                        ps.setDouble(7, r.measured());
                    } else {
                        ps.setNull(7, Types.DOUBLE);
                    }
                    ps.setString(8, truncate(r.expected(), 255));
                    ps.setString(9, (r.verdict() == CheckResult.Verdict.SKIP ? "skipped: " : "") + r.detail());
                    ps.setString(10, session.user());
                    ps.setObject(11, RunWriter.time(session.startedAt()));
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** The rows of session {@code sessionId}, in the order the checks ran. */
    public List<Row> read(String sessionId) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT session_id, experiment, check_name, passed, measured,"
                     + " expected, detail, user_name FROM sanity_checks WHERE session_id = ? ORDER BY id")) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double value = rs.getDouble(5);
                    Double measured = rs.wasNull() ? null : value;
                    out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), measured,
                            rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return out;
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
