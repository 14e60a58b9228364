package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.bus.MetricPoint;
import java.util.List;

/**
 * Where a trainer sends its metric points. Called on the training thread; implementations must return
 * quickly and never block on I/O (publish and move on).
 */
@FunctionalInterface
public interface MetricSink {

    void record(List<MetricPoint> points);
}
