package dev.cnnworkbench.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** One read query's rows mapped to records, for the record stores ({@link SweepStore}, {@link EnsembleStore}). */
final class SqlRows {

    /** Maps the current row. */
    @FunctionalInterface
    interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private SqlRows() {
    }

    /**
     * The rows of {@code sql} with {@code args} bound in order, mapped.
     *
     * @param what what is read, for the error: {@code "the trials of sweep s1"}
     * @throws StorageException when the database refuses
     */
    static <T> List<T> query(Database db, String what, String sql, Mapper<T> mapper, Object... args) {
        List<T> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read " + what + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** A nullable DOUBLE column. */
    static Double number(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    /** A nullable INT column. */
    static Integer integer(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** A nullable TIMESTAMP WITH TIME ZONE column. */
    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
