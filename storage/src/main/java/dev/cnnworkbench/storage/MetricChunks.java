package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.MetricPoint;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Metric points stored in chunks (table {@code metric_chunks}): up to {@link #MAX_POINTS} consecutive
 * points of one series per row, keyed by {@code series id << 32 | arrival number of the first point}, so
 * a series is one range of the primary key and writing a batch costs one row per series, not one per
 * point. A chunk's points are packed as deltas: zig-zag varints of step, epoch and wall time, and the
 * value's 8 IEEE-754 bytes (NaN and infinities kept bit for bit).
 */
final class MetricChunks {

    static final int MAX_POINTS = 4096;
    private static final byte FORMAT = 1;

    static final String INSERT = "INSERT INTO metric_chunks (k, n, min_step, max_step, data) VALUES (?, ?, ?, ?, ?)";
    static final String SELECT = "SELECT data FROM metric_chunks WHERE k BETWEEN ? AND ? ORDER BY k";

    private MetricChunks() {
    }

    static long key(int series, long firstSeq) {
        return ((long) series << 32) | firstSeq;
    }

    /** Adds to {@code insert}'s batch the chunks of {@code points}, the first numbered {@code firstSeq}. */
    static void add(PreparedStatement insert, int series, long firstSeq, List<MetricPoint> points) throws SQLException {
        for (int from = 0; from < points.size(); from += MAX_POINTS) {
            int to = Math.min(points.size(), from + MAX_POINTS);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = from; i < to; i++) {
                min = Math.min(min, points.get(i).step());
                max = Math.max(max, points.get(i).step());
            }
            insert.setLong(1, key(series, firstSeq + from));
            insert.setInt(2, to - from);
            insert.setLong(3, min);
            insert.setLong(4, max);
            insert.setBytes(5, encode(points, from, to));
            insert.addBatch();
        }
    }

    /** Every point of a series in arrival order; {@code select} is a statement of {@link #SELECT}. */
    static List<MetricPoint> read(PreparedStatement select, int series, String metric) throws SQLException {
        select.setLong(1, key(series, 0));
        select.setLong(2, key(series, MetricRollups.MAX_BUCKET));
        List<MetricPoint> out = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                decode(rs.getBytes(1), metric, out);
            }
        }
        return out;
    }

    static byte[] encode(List<MetricPoint> points, int from, int to) {
        Writer w = new Writer((to - from) * 16 + 8);
        w.buf[w.pos++] = FORMAT;
        w.varLong(to - from);
        long step = 0;
        long epoch = 0;
        long time = 0;
        for (int i = from; i < to; i++) {
            MetricPoint p = points.get(i);
            w.varLong(zigzag(p.step() - step));
            w.varLong(zigzag(p.epoch() - epoch));
            w.varLong(zigzag(p.time() - time));
            w.fixedLong(Double.doubleToRawLongBits(p.value()));
            step = p.step();
            epoch = p.epoch();
            time = p.time();
        }
        return Arrays.copyOf(w.buf, w.pos);
    }

    static void decode(byte[] data, String metric, List<MetricPoint> out) {
        Reader r = new Reader(data);
        if (data[r.pos++] != FORMAT) {
            throw new StorageException("metric chunk in unknown format " + data[0]);
        }
        long n = r.varLong();
        long step = 0;
        long epoch = 0;
        long time = 0;
        for (long i = 0; i < n; i++) {
            step += unzigzag(r.varLong());
            epoch += unzigzag(r.varLong());
            time += unzigzag(r.varLong());
            out.add(new MetricPoint(metric, step, (int) epoch, time, Double.longBitsToDouble(r.fixedLong())));
        }
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static final class Writer {
        byte[] buf;
        int pos;

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        void varLong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }

        void fixedLong(long v) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[pos++] = (byte) (v >>> (56 - 8 * i));
            }
        }

        private void ensure(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }
    }

    private static final class Reader {
        final byte[] buf;
        int pos;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        long varLong() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
                shift += 7;
            }
        }

        long fixedLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[pos++] & 0xFF);
            }
            return v;
        }
    }
}
