package dev.cnnworkbench.storage.mlflow;

import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL for experiments as MLflow clients see them (table {@code experiments} with V10's {@code mlflow_id} and
 * {@code lifecycle_stage}, and {@code experiment_tags}). An experiment is the workbench's: runs name it in
 * {@code runs.experiment}, so a rename renames it there too. Every method is one transaction, blocking; any thread.
 */
public final class MlflowExperiments {

    /** Outcome of {@link #create}: the new id, or the experiment that already has the name. */
    public record Created(long id, boolean existed) {
    }

    private static final String SELECT = "SELECT mlflow_id, name, lifecycle_stage, created_at, updated_at, description"
            + " FROM experiments";
    private static final String DUPLICATE_KEY = "23505";

    /** MLflow's experiment for runs that name none. */
    public static final String DEFAULT = "Default";

    private final Database db;
    private volatile boolean defaultExists;

    public MlflowExperiments(Database db) {
        this.db = db;
    }

    /**
     * Makes sure experiment 0 exists, named {@value #DEFAULT} (an experiment of that name becomes it): created when
     * an MLflow client first asks, so that a workbench no MLflow client talks to lists no empty experiment.
     */
    private void ensureDefault() {
        if (defaultExists) {
            return;
        }
        write("create the Default experiment", c -> {
            if (one(c, " WHERE mlflow_id = ?", 0L).isEmpty()
                    && update(c, "UPDATE experiments SET mlflow_id = 0 WHERE name = ?", DEFAULT) == 0) {
                update(c, "INSERT INTO experiments (name, created_at, mlflow_id) VALUES (?, CURRENT_TIMESTAMP, 0)", DEFAULT);
            }
            return null;
        });
        defaultExists = true;
    }

    /** Creates an experiment; when one with this name exists (active or deleted), says so and changes nothing. */
    public Created create(String name, String user, Map<String, String> tags) {
        ensureDefault();
        try {
            return write("create experiment '" + name + "'", c -> {
                Optional<MlflowExperiment> old = one(c, " WHERE name = ?", name);
                if (old.isPresent()) {
                    return new Created(old.get().id(), true);
                }
                update(c, "INSERT INTO experiments (name, created_at, created_by) VALUES (?, CURRENT_TIMESTAMP, ?)", name, user);
                long id = one(c, " WHERE name = ?", name).orElseThrow().id();
                putTags(c, id, tags);
                return new Created(id, false);
            });
        } catch (StorageException e) {
            // Another writer created it between the check and the insert: it exists.
            if (e.getCause() instanceof SQLException sql && DUPLICATE_KEY.equals(sql.getSQLState())) {
                return new Created(byName(name).orElseThrow().id(), true);
            }
            throw e;
        }
    }

    public Optional<MlflowExperiment> byId(long id) {
        ensureDefault();
        return read("read experiment " + id, c -> one(c, " WHERE mlflow_id = ?", id));
    }

    public Optional<MlflowExperiment> byName(String name) {
        ensureDefault();
        return read("read experiment '" + name + "'", c -> one(c, " WHERE name = ?", name));
    }

    /**
     * One page of experiments.
     *
     * @param nameLike  an SQL LIKE pattern on the name, {@code null}: any
     * @param stages    which lifecycle stages ({@code active}, {@code deleted})
     * @param orderBy   an SQL order over {@code mlflow_id, name, created_at, updated_at}: fixed text, never user input
     */
    public List<MlflowExperiment> search(String nameLike, List<String> stages, String orderBy, int offset, int limit) {
        ensureDefault();
        String where = " WHERE lifecycle_stage = ANY(?)" + (nameLike == null ? "" : " AND name LIKE ?");
        return read("search experiments", c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + where + " ORDER BY " + orderBy
                    + " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                int i = 1;
                ps.setObject(i++, stages.toArray(String[]::new));
                if (nameLike != null) {
                    ps.setString(i++, nameLike);
                }
                ps.setInt(i++, offset);
                ps.setInt(i, limit);
                return list(c, ps);
            }
        });
    }

    /** Renames an experiment and every record naming it; false when there is no such id. */
    public boolean rename(long id, String newName) {
        return write("rename experiment " + id, c -> {
            Optional<MlflowExperiment> old = one(c, " WHERE mlflow_id = ?", id);
            if (old.isEmpty()) {
                return false;
            }
            String was = old.get().name();
            update(c, "UPDATE experiments SET name = ?, updated_at = CURRENT_TIMESTAMP WHERE mlflow_id = ?", newName, id);
            for (String table : new String[] {"runs", "sanity_checks"}) { // the tables that name an experiment
                update(c, "UPDATE " + table + " SET experiment = ? WHERE experiment = ?", newName, was);
            }
            return true;
        });
    }

    /** Sets the lifecycle stage of an experiment and of its runs; false when there is no such id. */
    public boolean setDeleted(long id, boolean deleted) {
        String stage = deleted ? "deleted" : "active";
        return write((deleted ? "delete" : "restore") + " experiment " + id, c -> {
            if (update(c, "UPDATE experiments SET lifecycle_stage = ?, updated_at = CURRENT_TIMESTAMP WHERE mlflow_id = ?",
                    stage, id) == 0) {
                return false;
            }
            update(c, "UPDATE runs SET lifecycle_stage = ? WHERE experiment = (SELECT name FROM experiments"
                    + " WHERE mlflow_id = ?)", stage, id);
            return true;
        });
    }

    /** Sets one tag of an experiment ({@code mlflow.note.content} is its description); false when there is no such id. */
    public boolean setTag(long id, String key, String value) {
        return write("tag experiment " + id, c -> {
            if (MlflowRuns.NOTE.equals(key)) {
                return update(c, "UPDATE experiments SET description = ? WHERE mlflow_id = ?", value, id) == 1;
            }
            if (one(c, " WHERE mlflow_id = ?", id).isEmpty()) {
                return false;
            }
            putTags(c, id, Map.of(key, value));
            return true;
        });
    }

    private static void putTags(Connection c, long id, Map<String, String> tags) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO experiment_tags (experiment_id, tag_key, tag_value)"
                + " KEY (experiment_id, tag_key) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> t : tags.entrySet()) {
                if (MlflowRuns.NOTE.equals(t.getKey())) {
                    update(c, "UPDATE experiments SET description = ? WHERE mlflow_id = ?", t.getValue(), id);
                    continue;
                }
                ps.setLong(1, id);
                ps.setString(2, t.getKey());
                ps.setString(3, t.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Optional<MlflowExperiment> one(Connection c, String where, Object key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + where)) {
            ps.setObject(1, key);
            return list(c, ps).stream().findFirst();
        }
    }

    private static List<MlflowExperiment> list(Connection c, PreparedStatement ps) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long created = millis(rs.getObject(4, OffsetDateTime.class));
                OffsetDateTime updated = rs.getObject(5, OffsetDateTime.class);
                rows.add(new Object[] {rs.getLong(1), rs.getString(2), "deleted".equals(rs.getString(3)), created,
                    updated == null ? created : millis(updated), rs.getString(6)});
            }
        }
        Map<Long, Map<String, String>> tags = tags(c, rows.stream().map(r -> (Long) r[0]).toList());
        return rows.stream().map(r -> new MlflowExperiment((Long) r[0], (String) r[1], (Boolean) r[2], (Long) r[3],
                (Long) r[4], (String) r[5], tags.getOrDefault((Long) r[0], Map.of()))).toList();
    }

    private static Map<Long, Map<String, String>> tags(Connection c, List<Long> ids) throws SQLException {
        Map<Long, Map<String, String>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT experiment_id, tag_key, tag_value FROM experiment_tags"
                + " WHERE experiment_id = ANY(?)")) {
            ps.setObject(1, ids.toArray(Long[]::new));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        return out;
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    static long millis(OffsetDateTime t) {
        return t == null ? 0 : t.toInstant().toEpochMilli();
    }

    private <T> T read(String what, Database.Work<T> work) {
        try (Connection c = db.connection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private <T> T write(String what, Database.Work<T> work) {
        return db.inTransaction(what, work);
    }

    static StorageException failed(String what, SQLException e) {
        return new StorageException("cannot " + what + ": " + e.getMessage(), e);
    }
}
