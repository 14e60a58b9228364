package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.filter.Field;
import dev.cnnworkbench.storage.filter.Filter;
import dev.cnnworkbench.storage.filter.FilterParser;
import dev.cnnworkbench.storage.filter.FilterSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads runs, their metrics, warnings and artifacts: the one query API the CLI and the web use. Thread-safe.
 */
public final class RunQueries {

    private final Database db;

    public RunQueries(Database db) {
        this.db = db;
    }

    /** The sweep records of this store. */
    public SweepStore sweeps() {
        return new SweepStore(db);
    }

    /** The ensemble records of this store. */
    public EnsembleStore ensembles() {
        return new EnsembleStore(db);
    }

    /** The database read, e.g. for {@link ArtifactContent}. */
    public Database database() {
        return db;
    }

    /** Every run, newest first, with its parameters and latest metrics. */
    public List<RunSummary> listRuns() {
        return find(RunQuery.all()).runs();
    }

    /** One run by id. */
    public Optional<RunSummary> run(String id) {
        List<RunSummary> runs = select(new Filter.Compare(Field.COLUMNS.get("id"), Filter.Op.EQ, id),
                RunQuery.all()).runs();
        return runs.stream().findFirst();
    }

    /**
     * The runs matching a query's filter, sorted and paged, with the total count.
     *
     * @throws FilterException if the filter or the sort key does not parse; it names the token and its position
     */
    public RunPage find(RunQuery query) {
        return select(FilterParser.parse(query.filter()), query);
    }

    /**
     * The runs a filter matches, counted by experiment and sweep: one group per experiment and sweep (and one per
     * experiment for its runs of no sweep), the most recently active first, so a 300-trial sweep is one line.
     *
     * @throws FilterException if the filter does not parse
     */
    public List<RunGroup> groups(String filter) {
        FilterSql.Sql where = FilterSql.where(FilterParser.parse(filter == null ? "" : filter));
        String sql = "SELECT r.experiment, r.sweep_id, COUNT(*),"
                + " SUM(CASE WHEN r.status = 'RUNNING' THEN 1 ELSE 0 END), MAX(r.started_at)"
                + " FROM runs r WHERE " + where.sql()
                + " GROUP BY r.experiment, r.sweep_id ORDER BY MAX(r.started_at) DESC NULLS LAST, r.experiment, r.sweep_id";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, 1, where.args());
            List<RunGroup> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RunGroup(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            instant(rs.getObject(5, OffsetDateTime.class))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("cannot count runs by experiment and sweep: " + e.getMessage(), e);
        }
    }

    /**
     * Whether any run has a value for {@code field}: always for a column or the tags; for a parameter or a metric,
     * whether one run has it. Tells a sort key nobody has (a misspelt metric) from one that sorts.
     */
    public boolean anyRunHas(Field field) {
        String sql = field instanceof Field.Param ? "SELECT 1 FROM run_params WHERE name = ? LIMIT 1"
                : field instanceof Field.Metric ? "SELECT 1 FROM metric_series WHERE name = ? LIMIT 1" : null;
        if (sql == null) {
            return true;
        }
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, field instanceof Field.Param p ? p.name() : ((Field.Metric) field).name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StorageException("cannot look up " + field.display() + ": " + e.getMessage(), e);
        }
    }

    private RunPage select(Filter filter, RunQuery query) {
        Field sortField = FilterParser.parseField(query.sort());
        FilterSql.Sql where = FilterSql.where(filter);
        try (Connection c = db.connection()) {
            List<RunSummary> runs = List.of();
            long total = -1;
            if (query.limit() > 0) {
                long[] counted = {-1};
                runs = page(c, where, sortField, query, counted, filter != null);
                total = counted[0];
            }
            if (total < 0) {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM runs r WHERE " + where.sql())) {
                    bind(ps, 1, where.args());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        total = rs.getLong(1);
                    }
                }
            }
            return new RunPage(runs, total, query.offset(), query.limit());
        } catch (SQLException e) {
            throw new StorageException("cannot query runs: " + e.getMessage(), e);
        }
    }

    /** The runs of the page; sets {@code total[0]} to the number of matching runs when the page is not empty. */
    private List<RunSummary> page(Connection c, FilterSql.Sql where, Field sortField, RunQuery query, long[] total,
                                  boolean countWithPage) throws SQLException {
        String dir = query.descending() ? " DESC NULLS LAST" : " ASC NULLS LAST";
        List<Object> args = new ArrayList<>();
        // With a filter, the total comes with the page (counted before LIMIT) so the filter is evaluated
        // once; without one, COUNT(*) alone is free and the page can follow an index.
        StringBuilder sql = new StringBuilder(RUN_COLUMNS).append(countWithPage ? ", COUNT(*) OVER ()" : "")
                .append(" FROM runs r");
        String order;
        if (sortField instanceof Field.Param param) {
            sql.append(" LEFT JOIN run_params s ON s.run_id = r.id AND s.name = ?");
            args.add(param.name());
            order = "s.num_value" + dir + ", s.text_value" + dir;
        } else if (sortField instanceof Field.Metric metric) {
            sql.append(" LEFT JOIN metric_series s ON s.run_id = r.id AND s.name = ?");
            args.add(metric.name());
            order = "s.val" + dir;
        } else {
            order = ((Field.Column) sortField).sql() + dir;
        }
        sql.append(" WHERE ").append(where.sql()).append(" ORDER BY ").append(order).append(", r.id")
                .append(" LIMIT ? OFFSET ?");
        args.addAll(where.args());
        args.add(query.limit());
        args.add(query.offset());
        List<String> ids = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, 1, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[10];
                    for (int i = 0; i < 10; i++) {
                        row[i] = i == 6 || i == 7 ? rs.getObject(i + 1, OffsetDateTime.class) : rs.getString(i + 1);
                    }
                    rows.add(row);
                    ids.add((String) row[0]);
                    if (countWithPage) {
                        total[0] = rs.getLong(11);
                    }
                }
            }
        }
        Map<String, Map<String, Object>> params = params(c, ids);
        Map<String, Map<String, Double>> metrics = metrics(c, ids);
        Map<String, List<String>> tags = tags(c, ids);
        List<RunSummary> runs = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            String id = (String) row[0];
            runs.add(new RunSummary(id, (String) row[1], (String) row[2], RunStatus.valueOf((String) row[3]),
                    (String) row[4], (String) row[5], instant((OffsetDateTime) row[6]), instant((OffsetDateTime) row[7]),
                    (String) row[8], params.getOrDefault(id, Map.of()), metrics.getOrDefault(id, Map.of()),
                    tags.getOrDefault(id, List.of()), (String) row[9]));
        }
        return runs;
    }

    private static final String RUN_COLUMNS = "SELECT r.id, r.name, r.experiment, r.status, r.user_name, r.host,"
            + " r.started_at, r.ended_at, r.error, r.notes";

    /** Above this many runs a page reads the side tables whole rather than by id. */
    private static final int BY_ID_LIMIT = 1_000;

    private static Map<String, Map<String, Object>> params(Connection c, List<String> ids) throws SQLException {
        Map<String, Map<String, Object>> out = new HashMap<>();
        forIds(c, "SELECT run_id, name, num_value, text_value FROM run_params", ids, (id, rs) -> {
            double num = rs.getDouble(3);
            Object value = rs.wasNull() ? rs.getString(4) : number(num, rs.getString(4));
            out.computeIfAbsent(id, k -> new TreeMap<>()).put(rs.getString(2), value);
        });
        return out;
    }

    /**
     * A numeric parameter as it was recorded: a whole number (its text, written with the value, has no point or
     * exponent, as {@code data.limit: 1000}) as a Long, anything else as a Double.
     */
    private static Object number(double num, String text) {
        if (text != null && WHOLE.matcher(text).matches()) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return num;
            }
        }
        return num;
    }

    private static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile("-?\\d{1,18}");

    private static Map<String, Map<String, Double>> metrics(Connection c, List<String> ids) throws SQLException {
        Map<String, Map<String, Double>> out = new HashMap<>();
        forIds(c, "SELECT run_id, name, val FROM metric_series", ids, (id, rs) ->
                out.computeIfAbsent(id, k -> new TreeMap<>()).put(rs.getString(2), rs.getDouble(3)));
        return out;
    }

    private static Map<String, List<String>> tags(Connection c, List<String> ids) throws SQLException {
        Map<String, List<String>> out = new HashMap<>();
        forIds(c, "SELECT run_id, tag FROM run_tags", ids, (id, rs) ->
                out.computeIfAbsent(id, k -> new ArrayList<>()).add(rs.getString(2)));
        out.values().forEach(list -> list.sort(null));
        return out;
    }

    private interface RowHandler {
        void row(String runId, ResultSet rs) throws SQLException;
    }

    /** Runs {@code select} (whose first column is the run id) for the rows of {@code ids} only. */
    private static void forIds(Connection c, String select, List<String> ids, RowHandler handler) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        boolean byId = ids.size() <= BY_ID_LIMIT;
        Set<String> wanted = byId ? Set.of() : new HashSet<>(ids);
        try (PreparedStatement ps = c.prepareStatement(byId ? select + " WHERE run_id = ANY(?)" : select)) {
            if (byId) {
                ps.setObject(1, ids.toArray(new String[0]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (byId || wanted.contains(id)) {
                        handler.row(id, rs);
                    }
                }
            }
        }
    }

    static void bind(PreparedStatement ps, int first, List<Object> args) throws SQLException {
        int i = first;
        for (Object a : args) {
            if (a instanceof Double d) {
                ps.setDouble(i++, d);
            } else if (a instanceof Integer n) {
                ps.setInt(i++, n);
            } else {
                ps.setObject(i++, a);
            }
        }
    }

    /** Every point of one metric of one run, in step order. */
    public List<MetricPoint> history(String runId, String metric) {
        return histories(HistoryQuery.full(List.of(runId), metric)).get(0).points();
    }

    /**
     * One metric of several runs, each downsampled to at most {@link HistoryQuery#maxPoints()} points
     * (the min and max of each bucket of steps) or complete; one entry per requested run, in order, empty
     * for a run without that metric.
     */
    public List<MetricHistory> histories(HistoryQuery query) {
        try (Connection c = db.connection()) {
            return MetricHistories.read(c, query);
        } catch (SQLException e) {
            throw new StorageException("cannot read metric " + query.metric() + " of runs " + query.runIds() + ": "
                    + e.getMessage(), e);
        }
    }

    /** A run's tags, sorted; empty for an unknown run. */
    public List<String> tags(String runId) {
        try (Connection c = db.connection()) {
            return tags(c, List.of(runId)).getOrDefault(runId, List.of());
        } catch (SQLException e) {
            throw new StorageException("cannot read the tags of run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** Every tag in use, with the number of runs carrying it, by tag name. */
    public Map<String, Long> allTags() {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT tag, COUNT(*) FROM run_tags GROUP BY tag ORDER BY tag");
             ResultSet rs = ps.executeQuery()) {
            Map<String, Long> out = new LinkedHashMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("cannot read tags: " + e.getMessage(), e);
        }
    }

    /** A run's notes; empty when it has none or does not exist. */
    public Optional<String> notes(String runId) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT notes FROM runs WHERE id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read the notes of run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** Every experiment with its number of runs and its latest start, most recently active first. */
    public List<ExperimentSummary> experiments() {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT e.name, e.description, e.created_at, e.created_by,"
                     + " COUNT(r.id), MAX(r.started_at) FROM experiments e LEFT JOIN runs r ON r.experiment = e.name"
                     + " GROUP BY e.name, e.description, e.created_at, e.created_by"
                     + " ORDER BY MAX(r.started_at) DESC NULLS LAST, e.name");
             ResultSet rs = ps.executeQuery()) {
            List<ExperimentSummary> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new ExperimentSummary(rs.getString(1), rs.getString(2),
                        instant(rs.getObject(3, OffsetDateTime.class)), rs.getString(4), rs.getLong(5),
                        instant(rs.getObject(6, OffsetDateTime.class))));
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("cannot list experiments: " + e.getMessage(), e);
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

    /** A run's warnings in the order they were recorded; empty for a run without any, or an unknown run. */
    public List<StoredWarning> warnings(String runId) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT id, run_id, kind, step, message, created_at"
                     + " FROM run_warnings WHERE run_id = ? ORDER BY id")) {
            ps.setString(1, runId);
            List<StoredWarning> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredWarning(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4, Long.class),
                            rs.getString(5), instant(rs.getObject(6, OffsetDateTime.class))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("cannot read the warnings of run " + runId + ": " + e.getMessage(), e);
        }
    }

    private static final String ARTIFACT_COLUMNS = "SELECT id, run_id, kind, name, path, size_bytes, sha256, media_type,"
            + " step, epoch, created_at FROM artifacts";

    /** A run's artifacts by step, then in the order they were indexed; empty for an unknown run. */
    public List<StoredArtifact> artifacts(String runId) {
        return artifactsWhere(" WHERE run_id = ? ORDER BY step NULLS FIRST, id", runId, "the artifacts of run " + runId);
    }

    /** One artifact by id; empty when there is none. */
    public Optional<StoredArtifact> artifact(long id) {
        return artifactsWhere(" WHERE id = ?", id, "artifact " + id).stream().findFirst();
    }

    private List<StoredArtifact> artifactsWhere(String where, Object arg, String what) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(ARTIFACT_COLUMNS + where)) {
            ps.setObject(1, arg);
            List<StoredArtifact> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredArtifact(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8), rs.getObject(9, Long.class),
                            rs.getObject(10, Integer.class), instant(rs.getObject(11, OffsetDateTime.class))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
