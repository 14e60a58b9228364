package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.MetricPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads metric curves: every point, or at most K points per run. Downsampling keeps the min and the max
 * of each bucket of steps so spikes survive; it reads the finest level of the {@code metric_rollups}
 * pyramid that has at most K buckets in the run's step range (or the points of a run too short for
 * the pyramid), so its cost follows K, not the length of the run. A query for a range of steps (a zoomed chart)
 * spends its K points on that range. Thread-safe.
 */
final class MetricHistories {

    private record Series(int id, long points, long minStep, long maxStep) {
    }

    private MetricHistories() {
    }

    static List<MetricHistory> read(Connection c, HistoryQuery q) throws SQLException {
        Map<String, Series> series = new HashMap<>();
        if (q.runIds().isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT run_id, id, points, min_step, max_step FROM metric_series"
                + " WHERE name = ? AND run_id = ANY(?)")) {
            ps.setString(1, q.metric());
            ps.setObject(2, q.runIds().toArray(new String[0]));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    series.put(rs.getString(1), new Series(rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                }
            }
        }
        List<MetricHistory> out = new ArrayList<>(q.runIds().size());
        try (PreparedStatement points = c.prepareStatement(MetricChunks.SELECT);
             PreparedStatement rollups = c.prepareStatement(MetricRollups.SELECT + " WHERE k BETWEEN ? AND ? ORDER BY k")) {
            for (String runId : q.runIds()) {
                Series s = series.get(runId);
                if (s == null || s.points() == 0) {
                    out.add(new MetricHistory(runId, q.metric(), List.of(), 0, false));
                } else if (q.maxPoints() == HistoryQuery.FULL || s.points() <= q.maxPoints()) {
                    out.add(new MetricHistory(runId, q.metric(), inRange(points(points, s, q.metric()), q), s.points(), false));
                } else if (q.fromStep() > s.maxStep() || q.toStep() < s.minStep()) {
                    out.add(new MetricHistory(runId, q.metric(), List.of(), s.points(), false));
                } else {
                    out.add(new MetricHistory(runId, q.metric(), downsample(points, rollups, s, q), s.points(), true));
                }
            }
        }
        return out;
    }

    /**
     * Every point of a series in step order, one per step: of points recorded at the same step, the last to arrive
     * (a resumed run records again the steps its interrupted process had reached after its last checkpoint; those
     * later points are the ones the run's network went on from).
     */
    private static List<MetricPoint> points(PreparedStatement ps, Series s, String metric) throws SQLException {
        List<MetricPoint> out = MetricChunks.read(ps, s.id(), metric);
        boolean sorted = true;
        for (int i = 1; i < out.size() && sorted; i++) {
            sorted = out.get(i).step() > out.get(i - 1).step();
        }
        if (sorted) {
            return out;
        }
        out.sort(Comparator.comparingLong(MetricPoint::step)); // stable: arrival order among equal steps
        List<MetricPoint> unique = new ArrayList<>(out.size());
        for (int i = 0; i < out.size(); i++) {
            if (i + 1 == out.size() || out.get(i + 1).step() != out.get(i).step()) {
                unique.add(out.get(i));
            }
        }
        return unique;
    }

    private static List<MetricPoint> inRange(List<MetricPoint> points, HistoryQuery q) {
        return q.ranged() ? points.stream().filter(p -> p.step() >= q.fromStep() && p.step() <= q.toStep()).toList() : points;
    }

    private static List<MetricPoint> downsample(PreparedStatement points, PreparedStatement rollups, Series s,
                                                HistoryQuery q) throws SQLException {
        int buckets = q.maxPoints() / 2;
        long lo = Math.max(0, Math.max(s.minStep(), q.fromStep()));
        long hi = Math.max(lo, Math.min(s.maxStep(), q.toStep()));
        double span = hi - lo + 1;
        // The finest rollup level with at most K buckets in the run's step range, so at most K rows are
        // read; but the points themselves where even level 1 would give fewer than K/4 buckets (a run
        // shorter than 64 K steps), so that more than K/2 points come out either way.
        long level1 = MetricRollups.bucket(hi, 1) - MetricRollups.bucket(lo, 1) + 1;
        int level = level1 < q.maxPoints() / 4 ? 0 : 1;
        while (level > 0 && level < MetricRollups.LEVELS
                && MetricRollups.bucket(hi, level) - MetricRollups.bucket(lo, level) + 1 > q.maxPoints()) {
            level++;
        }
        MetricRollups.Bucket[] out = new MetricRollups.Bucket[buckets];
        if (level == 0) {
            for (MetricPoint p : MetricChunks.read(points, s.id(), q.metric())) {
                if (q.ranged() && (p.step() < lo || p.step() > hi)) {
                    continue;
                }
                fold(out, target(Math.max(0, p.step()), lo, span, buckets), MetricRollups.Bucket.of(p));
            }
        } else {
            rollups.setLong(1, MetricRollups.rollupKey(s.id(), level, MetricRollups.bucket(lo, level)));
            rollups.setLong(2, MetricRollups.rollupKey(s.id(), level, MetricRollups.bucket(hi, level)));
            int shift = MetricRollups.shift(level);
            try (ResultSet rs = rollups.executeQuery()) {
                while (rs.next()) {
                    long start = Math.max(lo, (rs.getLong(1) & MetricRollups.MAX_BUCKET) << shift);
                    fold(out, target(start, lo, span, buckets), MetricRollups.row(rs, q.metric()));
                }
            }
        }
        List<MetricPoint> result = new ArrayList<>(q.maxPoints());
        for (MetricRollups.Bucket b : out) {
            if (b != null) {
                b.emit(result);
            }
        }
        // a rollup bucket at either end of a range may reach past it: its extremes outside the range are left out
        return q.ranged() ? inRange(result, q) : result;
    }

    private static int target(long step, long lo, double span, int buckets) {
        return (int) Math.min(buckets - 1, Math.max(0, (long) ((step - lo) * buckets / span)));
    }

    private static void fold(MetricRollups.Bucket[] out, int i, MetricRollups.Bucket b) {
        if (out[i] == null) {
            out[i] = b;
        } else {
            out[i].add(b);
        }
    }
}
