package dev.cnnworkbench.storage;

import java.time.Instant;

/**
 * A named group of runs.
 *
 * @param description   free text; {@code null} when none
 * @param runs          how many runs it has
 * @param lastStartedAt when its latest run started; {@code null} without runs
 */
public record ExperimentSummary(String name, String description, Instant createdAt, String createdBy, long runs,
                                Instant lastStartedAt) {
}
