package dev.cnnworkbench.core.sweep;

/**
 * The hub's answer to a {@link RunRequest}: the run is queued.
 *
 * @param jobId   the job
 * @param runId   the run it will record
 * @param ahead   jobs queued before it, not yet handed to a worker
 * @param workers the workers the hub knows now
 */
public record JobAccepted(String jobId, String runId, int ahead, int workers) {
}
