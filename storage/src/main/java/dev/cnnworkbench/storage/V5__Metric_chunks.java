package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.MetricPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Moves V2's one-row-per-point {@code metric_points} into {@code metric_chunks} (created by V4), drops
 * {@code metric_points}, and rebuilds the rollup pyramid at the levels of {@link MetricRollups}.
 */
final class V5__Metric_chunks extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (PreparedStatement read = c.prepareStatement("SELECT k, step, epoch, wall_time, val FROM metric_points ORDER BY k");
             PreparedStatement insert = c.prepareStatement(MetricChunks.INSERT)) {
            int series = -1;
            long first = 0;
            List<MetricPoint> points = new ArrayList<>();
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    long k = rs.getLong(1);
                    int s = (int) (k >>> 32);
                    if (s != series || points.size() == MetricChunks.MAX_POINTS) {
                        MetricChunks.add(insert, series, first, points);
                        series = s;
                        first = k & 0xFFFF_FFFFL;
                        points = new ArrayList<>();
                    }
                    points.add(new MetricPoint("", rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getDouble(5)));
                }
            }
            MetricChunks.add(insert, series, first, points);
            insert.executeBatch();
        }
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE metric_points");
        }
        MetricRollups.rebuildAll(c);
    }
}
