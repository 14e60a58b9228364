package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.MetricPoint;
import java.util.List;

/**
 * One run's curve of one metric.
 *
 * @param points      in step order; when downsampled, the min and max point of each bucket of steps
 * @param totalPoints how many points the run has of this metric
 * @param downsampled whether {@code points} is a selection of the points
 */
public record MetricHistory(String runId, String metric, List<MetricPoint> points, long totalPoints, boolean downsampled) {

    public MetricHistory {
        points = List.copyOf(points);
    }
}
