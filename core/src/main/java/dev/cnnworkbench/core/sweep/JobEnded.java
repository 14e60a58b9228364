package dev.cnnworkbench.core.sweep;

/**
 * A worker's job ended ({@link WorkAddresses#ENDED}); the worker sends it until the hub answers.
 *
 * @param jobId    the job
 * @param workerId the worker that trained it
 * @param outcome  how the run ended (for a run of no sweep, its sweep id is {@code null} and its trial 0)
 */
public record JobEnded(String jobId, String workerId, TrialOutcome outcome) {
}
