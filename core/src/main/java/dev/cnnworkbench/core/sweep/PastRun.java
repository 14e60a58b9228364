package dev.cnnworkbench.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnworkbench.core.bus.RunStatus;
import java.util.List;
import java.util.Map;

/**
 * A run already in the store that may belong to a sweep, as the store's query API gives it (the caller maps its
 * own run records to this, so the sweep logic needs no storage).
 *
 * @param runId          the run
 * @param trial          the trial number its start recorded
 * @param name           its name (for people only: a renamed trial is still its trial)
 * @param status         its status
 * @param spec           its resolved spec
 * @param metrics        the last value of each metric
 * @param epochObjective the objective metric at the end of each epoch (index 0: after one epoch), for ASHA;
 *                       empty when unknown
 * @param startedAt      epoch milliseconds
 */
public record PastRun(String runId, int trial, String name, RunStatus status, JsonNode spec, Map<String, Double> metrics,
                      List<Double> epochObjective, long startedAt) {

    public PastRun {
        metrics = Map.copyOf(metrics);
        epochObjective = List.copyOf(epochObjective);
    }
}
