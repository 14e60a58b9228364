package dev.cnnworkbench.core.engine;

import java.util.Map;

/**
 * What a finished training run measured.
 *
 * @param finalMetrics the last value of each epoch-level and test metric
 * @param iterations   mini-batches trained (by this process: a resumed run counts from its checkpoint)
 * @param seconds      wall time spent in the epochs (excluding data loading and the test evaluation)
 * @param stopReason   why a {@link StopRule} ended training early, or {@code null} when it ran its budget
 */
public record TrainingResult(Map<String, Double> finalMetrics, long iterations, double seconds, String stopReason) {

    public TrainingResult {
        finalMetrics = Map.copyOf(finalMetrics);
    }
}
