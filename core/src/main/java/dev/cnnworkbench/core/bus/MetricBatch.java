package dev.cnnworkbench.core.bus;

import java.util.List;

/** Metric points of one run, published together (typically all the metrics of one iteration). */
public record MetricBatch(String runId, List<MetricPoint> points) {

    public MetricBatch {
        points = List.copyOf(points);
    }
}
