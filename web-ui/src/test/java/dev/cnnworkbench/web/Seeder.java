package dev.cnnworkbench.web;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.SweepTrialRef;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * Writes runs straight into the database with the store's {@link RunWriter}: for tests and benchmarks that need many
 * runs or long curves at once (the bus path is what the other tests exercise). Not thread-safe.
 */
final class Seeder {

    private final RunWriter writer;
    private long clock = 1_700_000_000_000L;

    Seeder(Database db) {
        this.writer = new RunWriter(db);
    }

    /** Starts a run with a spec and parameters; its start time is one second after the previous seeded run's. */
    Seeder start(String id, String name, String experiment, String spec, Map<String, Object> params) {
        clock += 1_000;
        try {
            writer.insertRun(new RunStarted(id, name, experiment, spec, params, Map.of("backend", "cpu"), clock, 1,
                    "seed-host", "seeder"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Starts a run that is trial {@code trial} of sweep {@code sweep}, as a sweep's trial worker starts it. */
    Seeder trial(String id, String name, String sweep, int trial, String spec, Map<String, Object> params) {
        return trial(id, name, sweep, sweep, trial, spec, params);
    }

    /** As above, in experiment {@code experiment}. */
    Seeder trial(String id, String name, String experiment, String sweep, int trial, String spec,
                 Map<String, Object> params) {
        clock += 1_000;
        try {
            writer.insertRun(new RunStarted(id, name, experiment, spec, params, Map.of("backend", "cpu"), clock, 1,
                    "seed-host", "seeder", 0, new SweepTrialRef(sweep, trial)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Writes a sweep, ASHA or ensemble record as the storage verticle would. */
    Seeder record(Record event) {
        try {
            writer.write(event);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** The seeded clock: the start time of the last seeded run. */
    long clock() {
        return clock;
    }

    /** Appends steps {@code from..to-1} of one metric, in batches of 10,000 points. */
    Seeder metric(String id, String metric, long from, long to, IntToDoubleFunction value) {
        List<RunWriter.RunPoint> batch = new ArrayList<>();
        for (long step = from; step < to; step++) {
            batch.add(new RunWriter.RunPoint(id, new MetricPoint(metric, step, (int) (step / 100), clock + step,
                    value.applyAsDouble((int) step))));
            if (batch.size() == 10_000) {
                write(batch);
                batch.clear();
            }
        }
        write(batch);
        return this;
    }

    /** Records one value of a metric at {@code step}. */
    Seeder value(String id, String metric, long step, double value) {
        write(List.of(new RunWriter.RunPoint(id, new MetricPoint(metric, step, 0, clock + step, value))));
        return this;
    }

    Seeder artifact(String id, String kind, String name, long step) {
        try {
            writer.putArtifact(new RunArtifact(id, kind, name, id + "/" + name, 4, "0".repeat(64), "application/zip", step,
                    0, clock));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    Seeder end(String id, RunStatus status) {
        try {
            writer.endRun(new RunEnded(id, status, status == RunStatus.FAILED ? "failed on purpose" : null, clock + 500));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    private void write(List<RunWriter.RunPoint> points) {
        if (points.isEmpty()) {
            return;
        }
        try {
            writer.insertMetrics(points);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
