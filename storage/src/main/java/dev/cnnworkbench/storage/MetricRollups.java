package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.MetricPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The min/max pyramid of metric series (table {@code metric_rollups}): keys, levels, and how points are
 * folded into buckets and buckets into coarser ones. Level {@code L} (1..{@link #LEVELS}) has buckets of
 * {@code 2^shift(L)} steps (256, 1,024, ... 4,194,304); a bucket keeps its point count and its min and
 * max points (NaN counts as the largest value, as in H2 and {@link Double#compare}, so a NaN spike shows
 * as a max). Level 0 stands for the points themselves.
 */
final class MetricRollups {

    static final int LEVELS = 8;
    static final long MAX_BUCKET = 0xFFFF_FFFFL;
    private static final int FIRST_SHIFT = 8;

    private MetricRollups() {
    }

    /** log2 of the bucket width of {@code level}. */
    static int shift(int level) {
        return level == 0 ? 0 : FIRST_SHIFT + 2 * (level - 1);
    }

    static long width(int level) {
        return 1L << shift(level);
    }

    static long bucket(long step, int level) {
        return Math.min(Math.max(0, step) >> shift(level), MAX_BUCKET);
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

        Bucket copy() {
            return new Bucket(n, min, max);
        }

        void add(MetricPoint p) {
            n++;
            if (Double.compare(p.value(), min.value()) < 0) {
                min = p;
            }
            if (Double.compare(p.value(), max.value()) > 0) {
                max = p;
            }
        }

        /** Adds a later bucket: on equal values the earlier min and max stay. */
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

    /**
     * The buckets a batch of points touches, at every level, for any number of series; then merged with
     * the stored buckets and written in two statements. Confined to one thread.
     */
    static final class Batch {
        private final Map<Long, Bucket> byKey = new LinkedHashMap<>();

        /** Adds points (in arrival order) of series {@code series}. */
        void add(int series, List<MetricPoint> points) {
            if (points.isEmpty()) {
                return;
            }
            // One pass over the points for the finest level; points mostly arrive in step order, so the
            // current bucket usually takes the next point without a map lookup.
            Map<Long, Bucket> level = new LinkedHashMap<>();
            Bucket current = null;
            long currentBucket = -1;
            for (MetricPoint p : points) {
                long b = bucket(p.step(), 1);
                if (current == null || b != currentBucket) {
                    current = level.get(b);
                    currentBucket = b;
                    if (current == null) {
                        level.put(b, Bucket.of(p));
                        current = level.get(b);
                        continue;
                    }
                }
                current.add(p);
            }
            put(series, 1, level);
            for (int l = 2; l <= LEVELS; l++) {
                Map<Long, Bucket> coarser = new LinkedHashMap<>();
                for (Map.Entry<Long, Bucket> e : level.entrySet()) {
                    Bucket existing = coarser.get(e.getKey() >> 2);
                    if (existing == null) {
                        coarser.put(e.getKey() >> 2, e.getValue().copy());
                    } else {
                        existing.add(e.getValue());
                    }
                }
                put(series, l, coarser);
                level = coarser;
            }
        }

        private void put(int series, int level, Map<Long, Bucket> buckets) {
            for (Map.Entry<Long, Bucket> e : buckets.entrySet()) {
                long key = rollupKey(series, level, Math.min(e.getKey(), MAX_BUCKET));
                Bucket existing = byKey.get(key);
                if (existing == null) {
                    byKey.put(key, e.getValue());
                } else {
                    existing.add(e.getValue());
                }
            }
        }

        /** Merges with the stored buckets and writes them, in the caller's transaction. */
        void write(Connection c) throws SQLException {
            if (byKey.isEmpty()) {
                return;
            }
            try (PreparedStatement read = c.prepareStatement(SELECT + " WHERE k = ANY(?)")) {
                read.setObject(1, byKey.keySet().toArray(new Long[0]));
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        long key = rs.getLong(1);
                        Bucket stored = row(rs, "");
                        stored.add(byKey.get(key));
                        byKey.put(key, stored);
                    }
                }
            }
            try (PreparedStatement write = c.prepareStatement("MERGE INTO metric_rollups (k, n, min_step, min_epoch,"
                    + " min_time, min_val, max_step, max_epoch, max_time, max_val) KEY (k)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Map.Entry<Long, Bucket> e : byKey.entrySet()) {
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
            byKey.clear();
        }
    }

    static final String SELECT = "SELECT k, n, min_step, min_epoch, min_time, min_val, max_step, max_epoch, max_time,"
            + " max_val FROM metric_rollups";

    static Bucket row(ResultSet rs, String metric) throws SQLException {
        return new Bucket(rs.getLong(2),
                new MetricPoint(metric, rs.getLong(3), rs.getInt(4), rs.getLong(5), rs.getDouble(6)),
                new MetricPoint(metric, rs.getLong(7), rs.getInt(8), rs.getLong(9), rs.getDouble(10)));
    }

    /** Rebuilds the pyramid of every series from its stored points (used by migrations). */
    static void rebuildAll(Connection c) throws SQLException {
        List<Integer> series = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM metric_series ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                series.add(rs.getInt(1));
            }
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM metric_rollups");
             PreparedStatement chunks = c.prepareStatement(MetricChunks.SELECT)) {
            del.executeUpdate();
            for (int id : series) {
                Batch batch = new Batch();
                batch.add(id, MetricChunks.read(chunks, id, ""));
                batch.write(c);
            }
        }
    }
}
