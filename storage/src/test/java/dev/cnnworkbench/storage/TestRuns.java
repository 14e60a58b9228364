package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes runs into a test database through the real writer. */
final class TestRuns {

    private final RunWriter writer;

    TestRuns(Database db) {
        this.writer = new RunWriter(db);
    }

    RunWriter writer() {
        return writer;
    }

    /** A run started at {@code startedAt}, ended with {@code status} (unless RUNNING), with one point per metric. */
    TestRuns run(String id, String experiment, RunStatus status, String startedAt, Map<String, Object> params,
                 Map<String, Double> metrics) throws SQLException {
        long start = Instant.parse(startedAt).toEpochMilli();
        writer.insertRun(new RunStarted(id, "run " + id, experiment, "{}", params, Map.of("git", "abc"), start,
                ProcessHandle.current().pid(), "testhost", "user-" + id.charAt(0)));
        List<RunWriter.RunPoint> points = new ArrayList<>();
        metrics.forEach((name, value) -> points.add(new RunWriter.RunPoint(id, new MetricPoint(name, 10, 1, start + 1000, value))));
        writer.insertMetrics(points);
        if (status != RunStatus.RUNNING) {
            writer.endRun(new RunEnded(id, status, status == RunStatus.FAILED ? "boom: out of memory" : null, start + 60_000));
        }
        return this;
    }

    /** {@code n} points of {@code metric} for run {@code id}, step 0..n-1, values from {@code value}. */
    void points(String id, String metric, int n, java.util.function.LongToDoubleFunction value) throws SQLException {
        List<RunWriter.RunPoint> batch = new ArrayList<>();
        for (long step = 0; step < n; step++) {
            batch.add(new RunWriter.RunPoint(id, new MetricPoint(metric, step, (int) (step / 100), 1_700_000_000_000L + step,
                    value.applyAsDouble(step))));
            if (batch.size() == 10_000) {
                writer.insertMetrics(batch);
                batch = new ArrayList<>();
            }
        }
        writer.insertMetrics(batch);
    }
}
