package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.MetricPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The min/max pyramid of metric series (table {@code metric_rollups}): keys, levels, and how points are
 * folded into buckets and buckets into coarser ones. Level {@code L} (1..{@link #LEVELS}) has buckets of
 * {@code 4^(L+1)} steps; a bucket keeps its point count and its min and max points (NaN counts as the
 * largest value, as in H2 and {@link Double#compare}, so a NaN spike shows as a max).
 */
final class MetricRollups {

    static final int LEVELS = 8;
    static final long MAX_BUCKET = 0xFFFF_FFFFL;

    private MetricRollups() {
    }

    /** log2 of the bucket width of {@code level}; level 0 is the points themselves. */
    static int shift(int level) {
        return level == 0 ? 0 : 2 * (level + 1);
    }

    static long width(int level) {
        return 1L << shift(level);
    }

    static long bucket(long step, int level) {
        return Math.min(Math.max(0, step) >> shift(level), MAX_BUCKET);
    }

    static long pointKey(int series, long seq) {
        return ((long) series << 32) | seq;
    }

    static long rollupKey(int series, int level, long bucket) {
        return ((long) series << 36) | ((long) level << 32) | bucket;
    }

    /** Count, min point and max point of a bucket. Mutable; confined to one thread. */
    static final class Bucket {
        long n;
        MetricPoint min;
        MetricPoint max;

        Bucket(long n, MetricPoint min, MetricPoint max) {
            this.n = n;
            this.min = min;
            this.max = max;
        }

        static Bucket of(MetricPoint p) {
            return new Bucket(1, p, p);
        }

        void add(Bucket other) {
            n += other.n;
            if (Double.compare(other.min.value(), min.value()) < 0) {
                min = other.min;
            }
            if (Double.compare(other.max.value(), max.value()) > 0) {
                max = other.max;
            }
        }

        /** The min and max points in step order, once if they are the same point. */
        void emit(List<MetricPoint> out) {
            if (min.equals(max)) {
                out.add(min);
            } else if (min.step() <= max.step()) {
                out.add(min);
                out.add(max);
            } else {
                out.add(max);
                out.add(min);
            }
        }
    }

    /** Folds {@code points} of series {@code series} into every level, merging with the buckets already stored. */
    static void add(Connection c, int series, String metric, List<MetricPoint> points) throws SQLException {
        if (points.isEmpty()) {
            return;
        }
        List<Map.Entry<Long, Bucket>> rows = new ArrayList<>();
        try (PreparedStatement read = c.prepareStatement(SELECT + " WHERE k BETWEEN ? AND ?")) {
            for (int level = 1; level <= LEVELS; level++) {
                TreeMap<Long, Bucket> buckets = new TreeMap<>();
                for (MetricPoint p : points) {
                    Bucket b = Bucket.of(p);
                    buckets.merge(bucket(p.step(), level), b, (old, add) -> {
                        old.add(add);
                        return old;
                    });
                }
                read.setLong(1, rollupKey(series, level, buckets.firstKey()));
                read.setLong(2, rollupKey(series, level, buckets.lastKey()));
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        Bucket stored = row(rs, metric);
                        Bucket fresh = buckets.get(rs.getLong(1) & MAX_BUCKET);
                        if (fresh != null) {
                            stored.add(fresh);
                            buckets.put(rs.getLong(1) & MAX_BUCKET, stored);
                        }
                    }
                }
                for (Map.Entry<Long, Bucket> e : buckets.entrySet()) {
                    rows.add(Map.entry(rollupKey(series, level, e.getKey()), e.getValue()));
                }
            }
        }
        try (PreparedStatement write = c.prepareStatement("MERGE INTO metric_rollups (k, n, min_step, min_epoch, min_time,"
                + " min_val, max_step, max_epoch, max_time, max_val) KEY (k) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<Long, Bucket> e : rows) {
                Bucket b = e.getValue();
                write.setLong(1, e.getKey());
                write.setLong(2, b.n);
                write.setLong(3, b.min.step());
                write.setInt(4, b.min.epoch());
                write.setLong(5, b.min.time());
                write.setDouble(6, b.min.value());
                write.setLong(7, b.max.step());
                write.setInt(8, b.max.epoch());
                write.setLong(9, b.max.time());
                write.setDouble(10, b.max.value());
                write.addBatch();
            }
            write.executeBatch();
        }
    }

    static final String SELECT = "SELECT k, n, min_step, min_epoch, min_time, min_val, max_step, max_epoch, max_time,"
            + " max_val FROM metric_rollups";

    static Bucket row(ResultSet rs, String metric) throws SQLException {
        return new Bucket(rs.getLong(2),
                new MetricPoint(metric, rs.getLong(3), rs.getInt(4), rs.getLong(5), rs.getDouble(6)),
                new MetricPoint(metric, rs.getLong(7), rs.getInt(8), rs.getLong(9), rs.getDouble(10)));
    }

    /** Rebuilds the pyramid of every series from its points (used once, by the migration that adds it). */
    static void rebuildAll(Connection c) throws SQLException {
        List<Object[]> series = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM metric_series ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                series.add(new Object[] {rs.getInt(1), rs.getString(2)});
            }
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM metric_rollups WHERE k BETWEEN ? AND ?");
             PreparedStatement ps = c.prepareStatement("SELECT step, epoch, wall_time, val FROM metric_points"
                     + " WHERE k BETWEEN ? AND ? ORDER BY k")) {
            for (Object[] s : series) {
                int id = (Integer) s[0];
                String name = (String) s[1];
                del.setLong(1, rollupKey(id, 0, 0));
                del.setLong(2, rollupKey(id + 1, 0, 0) - 1);
                del.executeUpdate();
                ps.setLong(1, pointKey(id, 0));
                ps.setLong(2, pointKey(id, MAX_BUCKET));
                List<MetricPoint> chunk = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        chunk.add(new MetricPoint(name, rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getDouble(4)));
                        if (chunk.size() == 100_000) {
                            add(c, id, name, chunk);
                            chunk = new ArrayList<>();
                        }
                    }
                }
                add(c, id, name, chunk);
            }
        }
    }
}
