package dev.cnnworkbench.storage;

import java.time.Instant;

/**
 * A training-health warning as recorded on a run.
 *
 * @param id        the row's id, increasing in the order warnings were recorded
 * @param kind      a stable short code, e.g. {@code initial_loss}
 * @param step      the iteration it refers to; {@code null} when not recorded
 * @param message   what is wrong and what to try, for people
 * @param createdAt when the trainer raised it
 */
public record StoredWarning(long id, String runId, String kind, Long step, String message, Instant createdAt) {
}
