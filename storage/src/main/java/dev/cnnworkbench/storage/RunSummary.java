package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run as tables show it.
 *
 * @param params  flattened spec values: Double for numbers, String otherwise
 * @param metrics the latest value of each metric
 * @param tags    the run's tags, sorted
 * @param notes   free-text notes; {@code null} when none
 */
public record RunSummary(String id, String name, String experiment, RunStatus status, String user, String host,
                         Instant startedAt, Instant endedAt, String error, Map<String, Object> params,
                         Map<String, Double> metrics, List<String> tags, String notes) {

    public RunSummary {
        tags = List.copyOf(tags);
    }
}
