package dev.cnnworkbench.storage;

import java.util.List;

/**
 * Which metric of which runs, over which steps, at what resolution.
 *
 * @param runIds    the runs, in the order the answer keeps
 * @param metric    the metric name ({@code train_loss}, ...)
 * @param maxPoints at most this many points per run, {@code >= 2} (a bucket gives its min and its max);
 *                  {@link #FULL} for every point
 * @param fromStep  the first step wanted ({@link Long#MIN_VALUE}: from the run's first)
 * @param toStep    the last step wanted, inclusive ({@link Long#MAX_VALUE}: to the run's last); a chart zoomed
 *                  into a range asks for that range only, so its points are spent where it looks
 */
public record HistoryQuery(List<String> runIds, String metric, int maxPoints, long fromStep, long toStep) {

    public static final int FULL = 0;

    public HistoryQuery {
        runIds = List.copyOf(runIds);
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric must be named, got " + metric);
        }
        if (maxPoints != FULL && maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be >= 2 or FULL (0), got " + maxPoints);
        }
        if (fromStep > toStep) {
            throw new IllegalArgumentException("fromStep must be <= toStep, got " + fromStep + " > " + toStep);
        }
    }

    /** Every step of the runs. */
    public HistoryQuery(List<String> runIds, String metric, int maxPoints) {
        this(runIds, metric, maxPoints, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Every point of {@code metric} of the runs. */
    public static HistoryQuery full(List<String> runIds, String metric) {
        return new HistoryQuery(runIds, metric, FULL);
    }

    /** Whether only part of the runs' steps is wanted. */
    public boolean ranged() {
        return fromStep != Long.MIN_VALUE || toStep != Long.MAX_VALUE;
    }
}
