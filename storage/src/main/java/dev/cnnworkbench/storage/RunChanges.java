package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The changes to a recorded run that only its owner or an admin may make: renaming and deleting it (who may is
 * the web's business; this class only changes the store). Every method is one transaction on a pooled connection
 * and blocks: call it from a worker thread. Database failures are {@link StorageException}s. Thread-safe.
 */
public final class RunChanges {

    /** Longest run name ({@code runs.name}). */
    public static final int MAX_NAME_LENGTH = 255;

    /** Who recorded a run and where it stands: what a permission check needs. {@code user} may be {@code null}. */
    public record RunOwner(String runId, String user, RunStatus status) {
    }

    /** What {@link #delete} did. */
    public enum Deletion { DELETED, NO_SUCH_RUN, STILL_RUNNING }

    /**
     * The outcome of a delete, and the artifact paths (relative to the artifacts folder) whose index entries went
     * with the run: the caller removes those files.
     */
    public record Deleted(Deletion outcome, List<String> artifactPaths) {

        public Deleted {
            artifactPaths = List.copyOf(artifactPaths);
        }
    }

    private final Database db;

    public RunChanges(Database db) {
        this.db = db;
    }

    /** A run's owner and status; empty when there is no such run. */
    public Optional<RunOwner> owner(String runId) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT user_name, status FROM runs WHERE id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new RunOwner(runId, rs.getString(1), RunStatus.valueOf(rs.getString(2))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read the owner of run " + runId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives a run a new name (trimmed; 1 to {@value #MAX_NAME_LENGTH} characters without control characters);
     * false when there is no such run.
     *
     * @throws IllegalArgumentException when the name breaks those rules
     */
    public boolean rename(String runId, String name) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > MAX_NAME_LENGTH || clean.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a run name needs 1 to " + MAX_NAME_LENGTH
                    + " characters without control characters");
        }
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE runs SET name = ? WHERE id = ?")) {
            ps.setString(1, clean);
            ps.setString(2, runId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StorageException("cannot rename run " + runId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a run that has ended, with everything recorded about it: parameters, metric series (points, chunks and
     * rollups), tags, warnings and artifact index entries. An ensemble that counted one of its snapshots keeps its
     * scores, without the link to the snapshot. A run still {@code RUNNING} is left alone ({@link
     * Deletion#STILL_RUNNING}): its trainer would go on writing.
     */
    public Deleted delete(String runId) {
        return db.inTransaction("delete run " + runId, c -> delete(c, runId));
    }

    private static Deleted delete(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM runs WHERE id = ? FOR UPDATE")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Deleted(Deletion.NO_SUCH_RUN, List.of());
                }
                if (RunStatus.RUNNING.name().equals(rs.getString(1))) {
                    return new Deleted(Deletion.STILL_RUNNING, List.of());
                }
            }
        }
        List<Integer> series = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM metric_series WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    series.add(rs.getInt(1));
                }
            }
        }
        try (PreparedStatement chunks = c.prepareStatement("DELETE FROM metric_chunks WHERE k BETWEEN ? AND ?");
             PreparedStatement rollups = c.prepareStatement("DELETE FROM metric_rollups WHERE k BETWEEN ? AND ?")) {
            for (int s : series) {
                chunks.setLong(1, MetricChunks.key(s, 0));
                chunks.setLong(2, MetricChunks.key(s + 1, 0) - 1);
                chunks.executeUpdate();
                rollups.setLong(1, MetricRollups.rollupKey(s, 0, 0));
                rollups.setLong(2, MetricRollups.rollupKey(s + 1, 0, 0) - 1);
                rollups.executeUpdate();
            }
        }
        execute(c, "DELETE FROM metric_series WHERE run_id = ?", runId);
        List<String> paths = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT path FROM artifacts WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    paths.add(rs.getString(1));
                }
            }
        }
        // ensemble members name their snapshot by path and SHA-256 (no link to the artifact row), so an ensemble
        // that counted this run's snapshots keeps its scores; an ensemble this run scored goes with it.
        // run_params, run_tags, run_warnings and artifacts go with the run (ON DELETE CASCADE)
        execute(c, "DELETE FROM runs WHERE id = ?", runId);
        return new Deleted(Deletion.DELETED, paths);
    }

    private static void execute(Connection c, String sql, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            ps.executeUpdate();
        }
    }
}
