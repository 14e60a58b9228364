package dev.cnnworkbench.storage;

import java.util.List;

/**
 * Which metric of which runs, at what resolution.
 *
 * @param runIds    the runs, in the order the answer keeps
 * @param metric    the metric name ({@code train_loss}, ...)
 * @param maxPoints at most this many points per run, {@code >= 2} (a bucket gives its min and its max);
 *                  {@link #FULL} for every point
 */
public record HistoryQuery(List<String> runIds, String metric, int maxPoints) {

    public static final int FULL = 0;

    public HistoryQuery {
        runIds = List.copyOf(runIds);
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric must be named, got " + metric);
        }
        if (maxPoints != FULL && maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be >= 2 or FULL (0), got " + maxPoints);
        }
    }

    /** Every point of {@code metric} of the runs. */
    public static HistoryQuery full(List<String> runIds, String metric) {
        return new HistoryQuery(runIds, metric, FULL);
    }
}
