package dev.cnnworkbench.core.bus;

/**
 * A run reached a final status.
 *
 * @param error   why it failed or stopped; {@code null} when it finished
 * @param endedAt epoch milliseconds
 */
public record RunEnded(String runId, RunStatus status, String error, long endedAt) {
}
