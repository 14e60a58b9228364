package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.bus.MetricPoint;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a trainer sends what it measures about one run: metric points, warnings and the files it wrote. Called on
 * the training thread; implementations must return quickly and never block on the database (publish and move on).
 * Warnings and artifacts are dropped by sinks that keep only metrics (benchmarks, tests).
 */
@FunctionalInterface
public interface MetricSink {

    void record(List<MetricPoint> points);

    /**
     * A training-health warning.
     *
     * @param kind a stable short code, e.g. {@code initial_loss}
     */
    default void warn(String kind, long step, String message) {
    }

    /**
     * A file the run wrote, complete on disk, under the run's artifact folder.
     *
     * @param kind      e.g. {@code model}, {@code snapshot}, {@code image}
     * @param mediaType e.g. {@code image/png}
     */
    default void artifact(String kind, String name, Path file, String mediaType, long step, int epoch) {
    }

    /**
     * Returns once everything this sink was given before (points, warnings, artifacts) is durable in the run's
     * store, acknowledged by it: what an epoch checkpoint waits for, so that an epoch never counts as done while its
     * metrics could still be lost. Sinks that keep nothing return at once. May block; never call it on an event loop.
     *
     * @throws IllegalStateException saying why, when the store does not acknowledge (down, refusing, too slow)
     */
    default void flush() {
    }

    /**
     * An ensemble the run scored, as a record (never as metric points). {@code ofRun} builds it given this run's id.
     * Sinks that keep only metrics drop it.
     */
    default void ensemble(java.util.function.Function<String, dev.cnnworkbench.core.bus.EnsembleRecorded> ofRun) {
    }
}
